// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Values beside the walk: expressions evaluated to value ids (walk/Values.h
// numbering), the locations they denote, reads and writes of the path's
// environment, and in-place updates that move a transfer's cursor or
// counter on.
#include "walk/Walker.h"
#include "clang/Basic/SourceManager.h"

#include "Engine.h"
#include "driver/DriverModel.h"
#include "model/Calls.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;
using namespace dmacheck;

/// E without the nodes C++ wraps around a value that do not change it:
/// parentheses, cleanups, temporaries' materialisation and binding, a
/// default argument or member initialiser (their expression).
const Expr *dmacheck::skipCxxWrappers(const Expr *E) {
  for (;;) {
    E = E->IgnoreParens();
    if (const auto *W = dyn_cast<FullExpr>(E)) // ExprWithCleanups, ConstantExpr
      E = W->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *D = dyn_cast<CXXDefaultArgExpr>(E))
      E = D->getExpr();
    else if (const auto *D = dyn_cast<CXXDefaultInitExpr>(E))
      E = D->getExpr();
    else
      return E;
  }
}

/// A cast whose operand and result are the same object: a qualification
/// change, or a derived-to-base conversion (the base is the same memory, as
/// the walk's locations are fields, which name their record).
bool dmacheck::sameObjectCast(const CastExpr *C) {
  switch (C->getCastKind()) {
  case CK_NoOp:
  case CK_DerivedToBase:
  case CK_UncheckedDerivedToBase:
    return true;
  default:
    return false;
  }
}

const Expr *dmacheck::stripCasts(const Expr *E) {
  for (;;) {
    E = skipCxxWrappers(E);
    if (const auto *C = dyn_cast<CastExpr>(E)) {
      if (C->getCastKind() == CK_LValueToRValue)
        return E;
      E = C->getSubExpr();
      continue;
    }
    return E;
  }
}

ValueId FunctionWalker::initialValue(const PathState &S, const Location &L) {
  switch (L.What) {
  case Location::Variable:
    return Values.initialLocal(static_cast<const ValueDecl *>(L.Decl));
  case Location::Field:
    return Values.initialField(L.Base, static_cast<const FieldDecl *>(L.Decl),
                               epochOf(S, L.Base));
  case Location::Deref:
    return Values.initialDeref(L.Base, epochOf(S, L.Base));
  }
  return NoValue;
}

ValueId FunctionWalker::read(PathState &S, const Location &L) {
  const ValueId *V = S.Env.lookup(L);
  return V ? *V : initialValue(S, L);
}

void FunctionWalker::write(PathState &S, const Location &L, ValueId V) {
  S.Env = EnvF.add(S.Env, L, V);
  if (V == NoValue || !outlivesCall(L))
    return;
  for (Transfer &T : S.Transfers)
    if (T.MapRegisterBase == V)
      T.BaseKept = true;
}

/// A place a later routine can find a value in: not a local.
bool FunctionWalker::outlivesCall(const Location &L) {
  if (L.What != Location::Variable)
    return true;
  const auto *VD = dyn_cast<VarDecl>(static_cast<const ValueDecl *>(L.Decl));
  return VD && VD->hasGlobalStorage();
}

std::optional<Location> FunctionWalker::pointee(ValueId Pointer) {
  const ValueInfo &I = Values.info(Pointer);
  if (I.Kind == ValueKind::AddrOf)
    return Location{Location::Variable, I.Decl, NoValue};
  if (I.Kind == ValueKind::FieldAddr)
    return Location{Location::Field, I.Field, I.Operand};
  return Location{Location::Deref, nullptr, Pointer};
}

std::optional<Location> FunctionWalker::locationOf(PathState &S,
                                                   const Expr *E) {
  E = skipCxxWrappers(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      // A reference names the object it is bound to.
      if (isReference(VD)) {
        ValueId To = read(S, Location{Location::Variable, VD, NoValue});
        if (To == NoValue)
          return std::nullopt;
        return pointee(To);
      }
      return Location{Location::Variable, VD, NoValue};
    }
    return std::nullopt;
  }
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl());
    if (!FD)
      return std::nullopt;
    ValueId Base =
        M->isArrow() ? eval(S, M->getBase()) : addressOf(S, M->getBase());
    if (Base == NoValue)
      return std::nullopt;
    if (S.PendingSeed)
      maybeSeed(S, FD->getParent(), Base, M->getBase());
    return Location{Location::Field, FD, Base};
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_Deref)
    return pointee(eval(S, U->getSubExpr()));
  if (const auto *C = dyn_cast<CastExpr>(E); C && sameObjectCast(C))
    return locationOf(S, C->getSubExpr());
  return std::nullopt;
}

ValueId FunctionWalker::addressOf(PathState &S, const Expr *E) {
  E = skipCxxWrappers(E);
  if (const auto *C = dyn_cast<CastExpr>(E); C && sameObjectCast(C))
    return addressOf(S, C->getSubExpr());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    // The address of what a reference is bound to is the reference's value.
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); isReference(VD))
      return read(S, Location{Location::Variable, VD, NoValue});
    return Values.addressOf(DRE->getDecl());
  }
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    auto L = locationOf(S, M);
    if (L && L->What == Location::Field)
      return Values.fieldAddress(L->Base,
                                 static_cast<const FieldDecl *>(L->Decl));
    return NoValue;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_Deref)
    return eval(S, U->getSubExpr());
  // An element of a global table this function only reads
  // (`Table[cmd & MASK].Kind`): the same element for the same index value,
  // so two tests of it correlate.
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E)) {
    const auto *DRE =
        dyn_cast<DeclRefExpr>(A->getBase()->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (VD && VD->hasGlobalStorage() && VD->getType()->isArrayType() &&
        readOnlyHere(VD))
      return Values.binary(BO_Add, Values.addressOf(VD), eval(S, A->getIdx()));
  }
  return NoValue;
}


/// The value a reference initialised with Init holds: the address of the
/// object Init denotes (a value of its own when that is not known).
ValueId FunctionWalker::referenceTo(PathState &S, const Expr *Init,
                                    const ValueDecl *Ref) {
  ValueId A = addressOf(S, Init);
  return A != NoValue ? A : Values.fresh(Init, Values.addressOf(Ref));
}

bool FunctionWalker::readOnlyHere(const VarDecl *VD) {
  return Driver.tableReadOnly(VD);
}

ValueId FunctionWalker::eval(PathState &S, const Expr *E) {
  if (!E)
    return NoValue;
  // Deep expressions (a 20,000-term sum) are unknown rather than a deep
  // recursion.
  if (EvalDepth > 256)
    return Values.fresh(E);
  struct DepthGuard {
    unsigned &D;
    explicit DepthGuard(unsigned &D) : D(D) { ++D; }
    ~DepthGuard() { --D; }
  } Guard(EvalDepth);
  E = skipCxxWrappers(E);
  auto Done = S.Evaluated.find(E);
  if (Done != S.Evaluated.end())
    return Done->second;

  if (const auto *IL = dyn_cast<IntegerLiteral>(E))
    return Values.constant(int64_t(IL->getValue().getLimitedValue()));
  if (const auto *CL = dyn_cast<CharacterLiteral>(E))
    return Values.constant(CL->getValue());
  if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E))
    return Values.constant(BL->getValue() ? 1 : 0);
  if (isa<CXXNullPtrLiteralExpr>(E))
    return Values.constant(0);
  // `this`: the value of the method's implicit object parameter on entry
  // (it cannot be assigned), keyed by the method (model/Calls.h).
  if (isa<CXXThisExpr>(E)) {
    if (const CXXMethodDecl *M = instanceMethod(Current))
      return Values.initialLocal(M);
    return Values.fresh(E);
  }

  if (const auto *C = dyn_cast<CastExpr>(E)) {
    if (C->getCastKind() == CK_LValueToRValue) {
      if (auto L = locationOf(S, C->getSubExpr()))
        return read(S, *L);
      return Values.fresh(E);
    }
    if (C->getCastKind() == CK_NullToPointer ||
        C->getCastKind() == CK_ArrayToPointerDecay ||
        C->getCastKind() == CK_FunctionToPointerDecay) {
      if (C->getCastKind() == CK_NullToPointer)
        return Values.constant(0);
      if (C->getCastKind() == CK_ArrayToPointerDecay)
        return addressOf(S, C->getSubExpr());
    }
    return eval(S, C->getSubExpr());
  }

  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return Values.constant(EC->getInitVal().getSExtValue());
    if (isa<FunctionDecl>(DRE->getDecl()))
      return Values.addressOf(DRE->getDecl());
    return Values.fresh(E);
  }

  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    switch (U->getOpcode()) {
    case UO_LNot:
      return Values.logicalNot(eval(S, U->getSubExpr()));
    case UO_AddrOf: {
      ValueId A = addressOf(S, U->getSubExpr());
      return A != NoValue ? A : Values.fresh(E);
    }
    case UO_Deref:
      if (auto L = locationOf(S, E))
        return read(S, *L);
      return Values.fresh(E);
    case UO_Plus:
      return eval(S, U->getSubExpr());
    case UO_Minus:
      return Values.binary(BO_Sub, Values.constant(0),
                           eval(S, U->getSubExpr()));
    default:
      // ++/-- are statements of their own and were evaluated already.
      return Values.fresh(E);
    }
  }

  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    if (B->isAssignmentOp())
      return Values.fresh(E);
    if (B->getOpcode() == BO_Comma)
      return eval(S, B->getRHS());
    if (B->isLogicalOp())
      return Values.fresh(E);
    return Values.binary(B->getOpcode(), eval(S, B->getLHS()),
                         eval(S, B->getRHS()));
  }

  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    // A min/max this path went through one way (PathState::Splits).
    const Expr *Cond = CO->getCond()->IgnoreParens();
    for (const auto &[At, Branch] : S.Splits)
      if (At == Cond)
        return eval(S, Branch ? CO->getTrueExpr() : CO->getFalseExpr());
    ValueId T = eval(S, CO->getTrueExpr()), F = eval(S, CO->getFalseExpr());
    return T == F ? T : Values.fresh(E);
  }

  if (isa<MemberExpr>(E)) {
    // An rvalue member that is not loaded (an array or function member).
    if (auto L = locationOf(S, E))
      if (L->What == Location::Field)
        return Values.fieldAddress(L->Base,
                                   static_cast<const FieldDecl *>(L->Decl));
    return Values.fresh(E);
  }

  if (!E->isValueDependent() && !E->containsErrors() &&
      (E->getType()->isIntegerType() || E->getType()->isPointerType())) {
    Expr::EvalResult R;
    if (E->EvaluateAsInt(R, Ctx) && R.Val.isInt())
      return Values.constant(R.Val.getInt().getExtValue());
  }
  return Values.fresh(E);
}

/// `x = e`: a plain store, except `x = x + d` / `x = (T)x - d`, which is an
/// in-place update of x (the cursor idiom).
ValueId FunctionWalker::assign(PathState &S, const BinaryOperator *B) {
  auto Target = locationOf(S, B->getLHS());
  ValueId V;
  const Expr *RHS = stripCasts(B->getRHS());
  const auto *Arith = dyn_cast<BinaryOperator>(RHS);
  bool InPlace = false;
  if (Target && Arith &&
      (Arith->getOpcode() == BO_Add || Arith->getOpcode() == BO_Sub)) {
    const Expr *Operand = stripCasts(Arith->getLHS());
    if (const auto *Load = dyn_cast<CastExpr>(Operand);
        Load && Load->getCastKind() == CK_LValueToRValue)
      if (auto From = locationOf(S, Load->getSubExpr()); From && *From == *Target) {
        V = Values.advance(B, read(S, *Target), eval(S, Arith->getRHS()),
                           Arith->getOpcode() == BO_Add ? 1 : -1);
        addStep(S, PathStep::Update, B);
        InPlace = true;
      }
  }
  if (!InPlace)
    V = eval(S, B->getRHS());
  if (Target)
    write(S, *Target, V);
  return V;
}

ValueId FunctionWalker::update(PathState &S, const Expr *Target,
                               ValueId Delta, int Dir, const Stmt *Site) {
  auto L = locationOf(S, Target);
  if (!L)
    return Values.fresh(Site);
  ValueId V = Values.advance(Site, read(S, *L), Delta, Dir);
  write(S, *L, V);
  addStep(S, PathStep::Update, Site);
  return V;
}
