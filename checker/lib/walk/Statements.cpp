// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Statements and calls: the walk's transfer function for one CFG element.
// Recognises event calls, sends them to DmaEvents.cpp, applies helper
// summaries (summaries/CallSites.cpp), and otherwise works out what a call
// may change: the locations reachable through its arguments, and the open
// transfers an unknown routine silences.
#include "walk/Walker.h"
#include "clang/Basic/SourceManager.h"

#include "Engine.h"
#include "driver/DriverModel.h"

#include "model/Calls.h"
#include "model/OsCode.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace dmacheck;

const RecognisedCall *FunctionWalker::recognised(const CallExpr *C) {
  auto It = Calls.find(C);
  if (It == Calls.end()) {
    std::optional<RecognisedCall> R = Recognizer.recognise(C);
    // Name the routine as the driver wrote it: `IoCompleteRequest` is a macro
    // for IofCompleteRequest in most header sets.
    SourceLocation L = Checks.callLoc(C);
    if (R && L.isMacroID()) {
      const SourceManager &SM = Ctx.getSourceManager();
      SourceLocation Spelled = SM.getExpansionLoc(L);
      unsigned Len =
          Lexer::MeasureTokenLength(Spelled, SM, Ctx.getLangOpts());
      llvm::StringRef Text(SM.getCharacterData(Spelled), Len);
      if (!Text.empty() && (isalpha(static_cast<unsigned char>(Text[0])) ||
                            Text[0] == '_'))
        R->CalleeName = Text.str();
    }
    It = Calls.try_emplace(C, std::move(R)).first;
  }
  return It->second ? &*It->second : nullptr;
}

void FunctionWalker::transfer(PathState &S, const Stmt *St) {
  if (const auto *R = dyn_cast<ReturnStmt>(St)) {
    S.LastReturn = St;
    if (Exit && R->getRetValue())
      write(S, returnLocation(), eval(S, R->getRetValue()));
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(St)) {
    onCall(S, Call);
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(St)) {
    if (B->getOpcode() == BO_Assign) {
      S.Evaluated[B] = assign(S, B);
    } else if (B->isCompoundAssignmentOp()) {
      ValueId Delta = eval(S, B->getRHS());
      if (B->getOpcode() == BO_AddAssign || B->getOpcode() == BO_SubAssign) {
        S.Evaluated[B] = update(S, B->getLHS(), Delta,
                                B->getOpcode() == BO_AddAssign ? 1 : -1, B);
      } else if (auto L = locationOf(S, B->getLHS())) {
        // `c |= FLAG` is `c = c | FLAG`: the same value as the expression.
        ValueId V = Values.binary(
            BinaryOperator::getOpForCompoundAssignment(B->getOpcode()),
            read(S, *L), Delta);
        write(S, *L, V);
        S.Evaluated[B] = V;
      }
    }
    return;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(St)) {
    if (U->isIncrementDecrementOp()) {
      ValueId Before = NoValue;
      if (auto L = locationOf(S, U->getSubExpr()))
        Before = read(S, *L);
      ValueId After = update(S, U->getSubExpr(), Values.constant(1),
                             U->isIncrementOp() ? 1 : -1, U);
      S.Evaluated[U] = U->isPrefix() ? After : Before;
    }
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        Location L{Location::Variable, VD, NoValue};
        if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
                VD->getInit() ? skipCxxWrappers(VD->getInit()) : nullptr);
            CE && !isReference(VD)) {
          construct(S, CE, Values.addressOf(VD));
          continue;
        }
        if (const Expr *Init = VD->getInit())
          // A reference holds the address of what it is bound to.
          write(S, L, isReference(VD) ? referenceTo(S, Init, VD) : eval(S, Init));
        else
          write(S, L, Values.fresh(VD));
      }
    return;
  }
}

/// `T obj(args);` with a constructor of the driver's: the fields its
/// member initialisers and plain assignments set from its parameters (or
/// constants) hold the caller's values; whatever else it does makes every
/// field of the object a value of its own.
void FunctionWalker::construct(PathState &S, const CXXConstructExpr *CE,
                               ValueId Object) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  const auto *Def = dyn_cast_or_null<CXXConstructorDecl>(
      Ctor ? Ctor->getDefinition() : nullptr);
  const CXXRecordDecl *RD = Ctor ? Ctor->getParent() : nullptr;
  auto Unknown = [&] {
    if (RD)
      for (const FieldDecl *F : RD->fields())
        write(S, Location{Location::Field, F, Object}, Values.fresh(F, Values.fresh(CE)));
  };
  if (!Def || !Def->hasBody() || !Driver.isOurs(Def) ||
      Driver.dmaEffects(Def) != DmaEffects::None) {
    Unknown();
    return;
  }
  // The value an initialiser stores, in the caller's terms.
  auto Stored = [&](const Expr *Init) -> ValueId {
    const Expr *E = stripCasts(Init);
    if (const auto *Load = dyn_cast<CastExpr>(E);
        Load && Load->getCastKind() == CK_LValueToRValue)
      E = Load->getSubExpr()->IgnoreParens();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        for (unsigned I = 0; I < Def->getNumParams(); ++I)
          if (Def->getParamDecl(I) == P && I < CE->getNumArgs())
            return isReference(P) ? referenceTo(S, CE->getArg(I), P)
                                  : eval(S, CE->getArg(I));
    if (isa<IntegerLiteral>(E) || isa<CXXBoolLiteralExpr>(E) ||
        isa<CXXNullPtrLiteralExpr>(E) || isa<CharacterLiteral>(E))
      return eval(S, E);
    return Values.fresh(E, Values.fresh(CE));
  };
  for (const CXXCtorInitializer *I : Def->inits())
    if (I->isMemberInitializer() && I->getInit())
      write(S, Location{Location::Field, I->getMember(), Object},
            Stored(I->getInit()));
  const auto *Body = dyn_cast<CompoundStmt>(Def->getBody());
  if (!Body) {
    Unknown();
    return;
  }
  for (const Stmt *St : Body->body()) {
    const auto *B = dyn_cast<BinaryOperator>(St);
    const auto *M =
        B && B->getOpcode() == BO_Assign
            ? dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenImpCasts())
            : nullptr;
    const auto *F = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
    if (!F || !isa<CXXThisExpr>(M->getBase()->IgnoreParenImpCasts())) {
      Unknown();
      return;
    }
    write(S, Location{Location::Field, F, Object}, Stored(B->getRHS()));
  }
}

ValueId FunctionWalker::roleValue(PathState &S, const CallExpr *Call,
                                  int Index) {
  if (Index < 0 || unsigned(Index) >= Call->getNumArgs())
    return NoValue;
  return eval(S, Call->getArg(unsigned(Index)));
}

void FunctionWalker::onCall(PathState &S, const CallExpr *Call) {
  // Handing the device extension to a call is a use of it too (a helper
  // that flushes what it holds).
  // So is calling a method on it (`static_cast<CDev *>(Context)->OnDpc()`).
  if (S.PendingSeed)
    if (const CXXRecordDecl *RD = objectRecord(Call)) {
      ValueId Base = objectPointer(S, Call);
      if (S.PendingSeed && Base != NoValue)
        maybeSeed(S, RD, Base, Call->getCallee());
    }
  if (S.PendingSeed)
    for (const Expr *Arg : Call->arguments()) {
      QualType T = Arg->IgnoreParenImpCasts()->getType();
      const RecordDecl *RD =
          T->isPointerType() ? T->getPointeeType()->getAsRecordDecl()
                             : nullptr;
      if (!RD)
        continue;
      ValueId Base = eval(S, Arg); // may itself use the extension
      if (S.PendingSeed && Base != NoValue)
        maybeSeed(S, RD, Base, Arg);
      if (!S.PendingSeed)
        break;
    }
  if (const RecognisedCall *Ev = recognised(Call)) {
    onEvent(S, Call, *Ev);
    if (!S.Evaluated.count(Call))
      S.Evaluated[Call] = Values.fresh(Call);
    return;
  }
  // A call whose DMA effects we cannot see (a same-file helper that maps,
  // flushes or releases, or a driver routine defined elsewhere) may have
  // flushed or released anything: nothing open is provable any more.
  const FunctionDecl *Callee = Call->getDirectCallee();
  // A virtual call runs an override the file may not show: what it is
  // given, it may flush or release.
  bool Virtual = isVirtualDispatch(Call);
  // A lambda's body reaches what it captured: with DMA effects, it is a
  // routine whose effects are not modelled.
  bool Lambda = isLambdaCall(Call);
  const FieldWrites *W = Callee && !Virtual ? Driver.writesOf(Callee) : nullptr;
  // Only a call that may change an open transfer, or open one, needs the
  // callee's effects (and only then is a routine of another file wanted).
  if (Callee && (!S.Transfers.empty() || Callee->getDefinition())) {
    DmaEffects Effects =
        Virtual ? DmaEffects::Unknown : Driver.dmaEffects(Callee);
    if (Effects == DmaEffects::Known) {
      // A helper that only maps: after it, one state per way it can
      // return that its arguments allow (its transfer open as it left it,
      // or nothing mapped).
      if (const ExitSummary *Sum =
              Lambda ? nullptr : Owner.mapSummaryOf(Callee)) {
        callMapHelper(S, Call, *Sum, W);
        return;
      }
    }
    if (!S.Transfers.empty()) {
      const HelperSummary *H = Effects == DmaEffects::Known && !Lambda
                                   ? Owner.summaryOf(Callee)
                                   : nullptr;
      if (H) {
        applyHelper(S, Call, *H);
      } else if (Effects == DmaEffects::Known) {
        for (const Transfer &T : S.Transfers)
          Owner.noteSilenced(Current, Call, T,
                             "it is a routine of this file whose DMA effects "
                             "are not modelled (it maps and also flushes or "
                             "releases, or does so on some paths only)");
        S.Transfers.clear();
      } else if (Effects == DmaEffects::Unknown) {
        llvm::erase_if(S.Transfers, [&](const Transfer &T) {
          if (!callTouches(S, Call, T))
            return false;
          Owner.noteSilenced(
              Current, Call, T,
              Virtual ? "it is a virtual call, whose override may flush or "
                        "release what it is given, and it is given the "
                        "transfer's objects"
                      : "it is the driver's routine, its body is in no "
                        "file of this run, and it is given the transfer's "
                        "objects (analyse its file too, or pass --facts)");
          return true;
        });
      }
      if (S.Transfers.empty()) {
        S.Trail.clear();
        S.Pinned.clear();
      }
    }
  }
  // Through a pointer (a routine the driver keeps in a field, a pointer to
  // a member function): it may flush or release what it is given.
  if (!Callee && !S.Transfers.empty()) {
    llvm::erase_if(S.Transfers, [&](const Transfer &T) {
      if (!callTouches(S, Call, T))
        return false;
      Owner.noteSilenced(Current, Call, T,
                         "it is a call through a pointer, whose target may "
                         "flush or release what it is given, and it is "
                         "given the transfer's objects");
      return true;
    });
    if (S.Transfers.empty()) {
      S.Trail.clear();
      S.Pinned.clear();
    }
  }
  invalidateThroughArguments(S, Call, W);
  S.Evaluated[Call] = Values.fresh(Call);
}

/// Whether a call is given one of the transfer's values, or the object one of
/// them was read from (`EndDma(ext)` where the adapter is `ext->DmaAdapter`).
bool FunctionWalker::callTouches(PathState &S, const CallExpr *Call,
                                 const Transfer &T) {
  ValueId Related[] = {T.Adapter, T.Mdl, T.MapRegisterBase, T.CurrentVa,
                       T.Irp};
  llvm::SmallVector<ValueId, 8> Given;
  if (ValueId This = objectPointer(S, Call); This != NoValue)
    Given.push_back(This);
  for (const Expr *Arg : Call->arguments())
    Given.push_back(eval(S, Arg));
  for (ValueId A : Given) {
    for (ValueId R : Related) {
      if (R == NoValue)
        continue;
      if (A == R)
        return true;
      const ValueInfo &I = Values.info(R);
      if (I.Kind == ValueKind::Initial && I.Field && I.Operand == A)
        return true;
    }
  }
  return false;
}

/// A call may write what its pointer arguments point to (one level deep:
/// the object passed, not everything reachable from it).
void FunctionWalker::invalidateThroughArguments(PathState &S,
                                                const CallExpr *Call,
                                                const FieldWrites *W) {
  // The system writes nothing through what a variadic routine is given
  // (DbgPrint, __noop).
  const FunctionDecl *Callee = Call->getDirectCallee();
  unsigned Declared = Callee && Driver.isSystemRoutine(Callee)
                          ? Callee->getNumParams()
                          : Call->getNumArgs();
  // The object a method is called on, unless the method is const.
  if (const CXXRecordDecl *RD = objectRecord(Call)) {
    const CXXMethodDecl *M = instanceMethod(Callee);
    ValueId P = objectPointer(S, Call);
    if (P != NoValue && !(M && M->isConst()))
      invalidateThrough(S, Call, W, P, RD);
  }
  unsigned First = firstExplicitArgument(Call);
  for (unsigned I = First; I < Call->getNumArgs() && I - First < Declared;
       ++I) {
    const Expr *Arg = Call->getArg(I);
    QualType T = Arg->IgnoreParenImpCasts()->getType();
    const ParmVarDecl *Param =
        Callee && I - First < Callee->getNumParams()
            ? Callee->getParamDecl(I - First)
            : nullptr;
    if (Param && isReference(Param)) {
      // A reference to the driver's memory: written like a pointer.
      QualType R = Param->getType()->getPointeeType();
      if (R.isConstQualified())
        continue;
      invalidateThrough(S, Call, W, referenceTo(S, Arg, Param),
                        R->getAsRecordDecl());
      continue;
    }
    if (!T->isPointerType() && !T->isArrayType())
      continue;
    if (T->isPointerType() && T->getPointeeType().isConstQualified())
      continue;
    ValueId P = eval(S, Arg);
    const RecordDecl *RD =
        T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
    invalidateThrough(S, Call, W, P, RD);
  }
}

/// What a call may write through pointer P (to a record RD, or null), given
/// what the callee is known to write (W; null: anything).
void FunctionWalker::invalidateThrough(PathState &S, const CallExpr *Call,
                                       const FieldWrites *W, ValueId P,
                                       const RecordDecl *RD) {
  if (W && !W->All && RD && Values.info(P).Kind != ValueKind::AddrOf &&
      Values.info(P).Kind != ValueKind::FieldAddr) {
    // A routine we can see writes only the fields it names: the others
    // keep their values, the device extension's DMA state included.
    if (W->Fields.empty())
      return;
    for (const FieldDecl *F : RD->fields())
      if (W->Fields.count(fieldKey(F)))
        write(S, Location{Location::Field, F, P},
              Values.fresh(F, Values.fresh(Call, P)));
    llvm::SmallVector<Location, 8> Written;
    for (const auto &[Loc, Val] : S.Env)
      if (Loc.What == Location::Field && Loc.Base == P &&
          W->Fields.count(fieldKey(static_cast<const FieldDecl *>(Loc.Decl))))
        Written.push_back(Loc);
    for (const Location &Loc : Written)
      S.Env = EnvF.add(S.Env, Loc,
                       Values.fresh(Loc.Decl, Values.fresh(Call, P)));
    return;
  }
  if (W && !W->All &&
      (Values.info(P).Kind == ValueKind::AddrOf ||
       Values.info(P).Kind == ValueKind::FieldAddr) &&
      W->Fields.empty())
    return;
  if (auto L = pointee(P); L && L->What != Location::Deref)
    write(S, *L, Values.fresh(Call, P));
  S.Epochs = EpochF.add(S.Epochs, P, Values.fresh(Call, P));
  llvm::SmallVector<std::pair<Location, ValueId>, 8> Written;
  for (const auto &[Loc, Val] : S.Env)
    if ((Loc.What == Location::Field || Loc.What == Location::Deref) &&
        Loc.Base == P)
      Written.push_back({Loc, Values.fresh(Call, Val)});
  for (const auto &[Loc, Val] : Written)
    S.Env = EnvF.add(S.Env, Loc, Val);
}

void FunctionWalker::onEvent(PathState &S, const CallExpr *Call,
                             const RecognisedCall &Ev) {
  switch (Ev.Rule->Kind) {
  case EventKind::Map:
    onMap(S, Call, Ev);
    break;
  case EventKind::Flush:
    onFlush(S, Call, Ev);
    break;
  case EventKind::FreeMapRegisters:
  case EventKind::FreeAdapterChannel:
  case EventKind::PutAdapter:
  case EventKind::CompleteRequest:
    onRelease(S, Call, Ev);
    break;
  case EventKind::CancelTransfer: {
    ValueId Adapter = roleValue(S, Call, Ev.Rule->Arguments.Adapter);
    llvm::erase_if(S.Transfers, [&](const Transfer &T) {
      return Adapter == NoValue || T.Adapter == Adapter;
    });
    break;
  }
  case EventKind::AllocateChannel:
  case EventKind::GetScatterGather:
  case EventKind::PutScatterGather:
    // Their transfers are the HAL's (scatter/gather) or start in another
    // routine (the channel's AdapterControl): nothing to track here.
    break;
  }
  pinFacts(S);
}
