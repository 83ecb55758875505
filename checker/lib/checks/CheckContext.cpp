// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What checks share (checks/CheckContext.h): spelling expressions and
// locations for messages, value relations on a path (provably different,
// the variable that holds a value), and the path notes of a finding.
#include "checks/CheckContext.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "walk/Walker.h"

using namespace clang;
using namespace dmacheck;

std::string CheckContext::spell(const Expr *E) const {
  // A default argument is spelled where its parameter declares it.
  E = skipCxxWrappers(E);
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM,
      Ctx.getLangOpts());
  std::string Text;
  if (R.isValid())
    Text = Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
  if (Text.empty()) {
    llvm::raw_string_ostream OS(Text);
    E->printPretty(OS, nullptr, Ctx.getPrintingPolicy());
  }
  // One line, single spaces.
  std::string Out;
  bool Space = false;
  for (char Ch : Text) {
    if (Ch == '\n' || Ch == '\r' || Ch == '\t' || Ch == ' ') {
      Space = !Out.empty();
      continue;
    }
    if (Space)
      Out += ' ';
    Space = false;
    Out += Ch;
  }
  if (Out.size() > 80)
    Out = Out.substr(0, 77) + "...";
  return Out;
}

SourceLocation CheckContext::callLoc(const CallExpr *Call) const {
  const Expr *E = Call->getCallee();
  for (;;) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_Deref) {
      E = U->getSubExpr();
      continue;
    }
    break;
  }
  SourceLocation L = E->getExprLoc();
  return L.isValid() ? L : Call->getBeginLoc();
}

SourceLocation CheckContext::stmtLoc(const Stmt *S) const {
  if (const auto *Call = dyn_cast<CallExpr>(S))
    return callLoc(Call);
  return S->getBeginLoc();
}

unsigned CheckContext::line(SourceLocation L) const {
  const SourceManager &SM = Ctx.getSourceManager();
  return SM.getPresumedLineNumber(SM.getFileLoc(L));
}

bool CheckContext::isBefore(SourceLocation A, SourceLocation B) const {
  const SourceManager &SM = Ctx.getSourceManager();
  return SM.isBeforeInTranslationUnit(SM.getFileLoc(A), SM.getFileLoc(B));
}

const Expr *CheckContext::arg(const CallExpr *Call, int Index) const {
  if (Index < 0 || unsigned(Index) >= Call->getNumArgs())
    return nullptr;
  return Call->getArg(unsigned(Index));
}


bool CheckContext::provablyDifferent(const PathState &S, ValueId A,
                                     ValueId B) const {
  if (Values.provablyDifferent(A, B))
    return true;
  auto ExcludedByFacts = [&](ValueId Const, ValueId V) {
    int64_t C;
    return Values.isConstant(Const, C) &&
           decideAtom(S, ConditionAtom{V, false, C}) == std::optional<bool>(false);
  };
  if (ExcludedByFacts(A, B) || ExcludedByFacts(B, A))
    return true;
  // Not 0: a constant, or a test on the path (`if (offset == 0) return;`),
  // not a range a summary inferred.
  auto NonZero = [&](ValueId V) {
    int64_t C;
    if (Values.isConstant(V, C))
      return C != 0;
    return llvm::is_contained(S.Facts,
                              BranchFact{ConditionAtom{V, false, 0}, false});
  };
  // `va + offset` against `va`, with an offset the path knows is not 0.
  auto Offset = [&](ValueId X, ValueId Y) {
    const ValueInfo &I = Values.info(X);
    return I.Kind == ValueKind::Binary &&
           (I.Opcode == BO_Add || I.Opcode == BO_Sub) &&
           ((I.Operand == Y && NonZero(I.Operand2)) ||
            (I.Opcode == BO_Add && I.Operand2 == Y && NonZero(I.Operand)));
  };
  if (Offset(A, B) || Offset(B, A))
    return true;
  // `x == c1` against `x == c2` (c1 != c2) where the path decided one.
  const ValueInfo &IA = Values.info(A), &IB = Values.info(B);
  int64_t CA, CB;
  if (IA.Kind == ValueKind::Binary && IB.Kind == ValueKind::Binary &&
      IA.Opcode == BO_EQ && IB.Opcode == BO_EQ && IA.Operand == IB.Operand &&
      Values.isConstant(IA.Operand2, CA) && Values.isConstant(IB.Operand2, CB) &&
      CA != CB &&
      (decideAtom(S, ConditionAtom{IA.Operand, false, CA}) ==
           std::optional<bool>(true) ||
       decideAtom(S, ConditionAtom{IB.Operand, false, CB}) ==
           std::optional<bool>(true)))
    return true;
  // A new object (IoGetDmaAdapter, IoAllocateMdl) that the path knows is not
  // NULL is no object that existed before it, nor another new one.
  // The allocation's own result (not a value a later call made from it).
  auto NewObject = [&](ValueId V) -> const CallExpr * {
    const ValueInfo &I = Values.info(V);
    const auto *Call = I.Kind == ValueKind::Fresh && I.Operand == NoValue
                           ? dyn_cast_or_null<CallExpr>(I.Site)
                           : nullptr;
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD || !FD->getIdentifier())
      return nullptr;
    llvm::StringRef N = FD->getName();
    bool Allocates = N == "IoGetDmaAdapter" || N == "IoAllocateMdl" ||
                     N.substr(0, 14) == "ExAllocatePool" ||
                     N == "MmAllocateContiguousMemory";
    return Allocates ? Call : nullptr;
  };
  // What the function was given: a parameter as it entered, or a field
  // reached from one as it was before any call could write it (no epoch).
  // Not a global, nor a field read after a call (an allocation may have
  // stored its result there: IoAllocateMdl(..., Irp) sets Irp->MdlAddress).
  std::function<bool(ValueId, unsigned)> Existed = [&](ValueId V,
                                                       unsigned Depth) {
    const ValueInfo &I = Values.info(V);
    if (I.Kind != ValueKind::Initial || Depth > 4)
      return false;
    if (I.Decl)
      return isa<ParmVarDecl>(I.Decl);
    return I.Field && I.Operand2 == NoValue && Existed(I.Operand, Depth + 1);
  };
  const CallExpr *NA = NewObject(A), *NB = NewObject(B);
  if ((NA && NonZero(A) && (Existed(B, 0) || (NB && NB != NA))) ||
      (NB && NonZero(B) && (Existed(A, 0) || (NA && NA != NB))))
    return true;
  return false;
}

void CheckContext::mapParents() const {
  if (!Parents.empty() || !Function || !Function->getBody())
    return;
  const Stmt *Body = Function->getBody();
  Parents[Body] = nullptr;
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          DeclStmts.try_emplace(VD, DS);
    for (const Stmt *C : S->children())
      if (C && Parents.try_emplace(C, S).second)
        Work.push_back(C);
  }
}

const Stmt *CheckContext::parentOf(const Stmt *S) const {
  mapParents();
  return Parents.lookup(S);
}

const Stmt *CheckContext::declStmtOf(const VarDecl *VD) const {
  mapParents();
  return DeclStmts.lookup(VD);
}

bool CheckContext::inScopeAt(const VarDecl *VD, SourceLocation At) const {
  if (isa<ParmVarDecl>(VD) || !VD->isLocalVarDecl())
    return true;
  // A block-scope local is visible up to the end of its enclosing block.
  for (const Stmt *P = declStmtOf(VD); P; P = parentOf(P))
    if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
      const SourceManager &SM = Ctx.getSourceManager();
      SourceLocation End = SM.getFileLoc(CS->getEndLoc());
      return !SM.isBeforeInTranslationUnit(End, SM.getFileLoc(At));
    }
  return true;
}

std::string CheckContext::variableHolding(const PathState &S, ValueId V,
                                          SourceLocation At) const {
  if (V == NoValue)
    return "";
  const VarDecl *Best = nullptr;
  for (const auto &[Loc, Val] : S.Env) {
    if (Loc.What != Location::Variable || Val != V)
      continue;
    const auto *VD =
        dyn_cast<VarDecl>(static_cast<const ValueDecl *>(Loc.Decl));
    if (!VD || !inScopeAt(VD, At))
      continue;
    if (!Best || isBefore(VD->getLocation(), Best->getLocation()))
      Best = VD;
  }
  if (Best)
    return Best->getName().str();
  // A parameter or local never written on this path still holds its
  // initial value.
  const ValueInfo &I = Values.info(V);
  if (I.Kind == ValueKind::Initial && I.Decl)
    if (const auto *VD = dyn_cast<VarDecl>(I.Decl))
      if (!S.Env.contains({Location::Variable, VD, NoValue}) && inScopeAt(VD, At))
        return VD->getName().str();
  return "";
}

std::vector<FindingNote> CheckContext::pathNotes(
    const PathState &S, const Transfer &T, std::vector<FindingNote> AtMap,
    const Highlights &Along) const {
  std::vector<FindingNote> Notes;
  Notes.push_back({callLoc(T.MapCall),
                   "transfer mapped here by '" + callee(T.MapCall).CalleeName +
                       "'"});
  for (FindingNote &N : AtMap)
    Notes.push_back(std::move(N));
  if (T.Clamp)
    Notes.push_back({T.Clamp->getBeginLoc(),
                     "assuming '" + spell(T.Clamp) + "' is " +
                         (T.ClampBranch ? "true" : "false") +
                         ": the length mapped was clamped"});
  // What happened before the transfer was seeded happened on the path of
  // the callback that left it mapped.
  if (T.Producer)
    for (FindingNote &N : Notes)
      N.Routine = T.Producer->getNameAsString();
  if (T.Producer && T.SeededAt)
    Notes.push_back({T.SeededAt->getExprLoc(),
                     "'" + spell(T.SeededAt) +
                         "' holds the transfer that '" +
                         T.Producer->getNameAsString() +
                         "' left mapped when it returned"});
  std::vector<bool> Shown(Along.size(), false);
  for (const PathStep &Step : S.Trail.steps()) {
    switch (Step.What) {
    case PathStep::Update:
    case PathStep::Release:
      for (size_t I = 0; I < Along.size(); ++I)
        if (Along[I].first == Step.At && !Shown[I]) {
          Notes.push_back({stmtLoc(Step.At), Along[I].second});
          Shown[I] = true;
        }
      break;
    case PathStep::AssumeTrue:
    case PathStep::AssumeFalse:
      Notes.push_back({Step.At->getBeginLoc(),
                       "assuming '" + spell(cast<Expr>(Step.At)) + "' is " +
                           (Step.What == PathStep::AssumeTrue ? "true"
                                                              : "false")});
      break;
    case PathStep::Case:
      if (const auto *CS = dyn_cast<CaseStmt>(Step.At))
        Notes.push_back({CS->getBeginLoc(),
                         "taking 'case " + spell(CS->getLHS()) + "'"});
      break;
    case PathStep::Default:
      Notes.push_back({Step.At->getBeginLoc(), "taking the default branch"});
      break;
    case PathStep::Goto:
      if (const auto *G = dyn_cast<GotoStmt>(Step.At))
        Notes.push_back({G->getBeginLoc(),
                         "jumping to '" + G->getLabel()->getName().str() +
                             "'"});
      break;
    }
  }
  for (size_t I = 0; I < Along.size(); ++I)
    if (!Shown[I])
      Notes.push_back({stmtLoc(Along[I].first), Along[I].second});
  return Notes;
}

std::string CheckContext::mapAt(const Transfer &T) const {
  std::string At = "line " + std::to_string(line(callLoc(T.MapCall)));
  if (T.MapFn)
    At += " in '" + T.MapFn->getNameAsString() + "'";
  return At;
}

std::string CheckContext::releaseVerb(const Transfer &T) const {
  switch (T.ReleaseKind) {
  case EventKind::CompleteRequest:
    return "completes the IRP";
  case EventKind::FreeMapRegisters:
    return "frees the map registers";
  case EventKind::FreeAdapterChannel:
    return "frees the adapter channel";
  case EventKind::PutAdapter:
    return "releases the DMA adapter";
  default:
    return "releases the transfer";
  }
}
