// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Branch facts beside the walk: a branch condition as a comparison of a value
// with a constant, the facts a path assumed and what they decide, which facts
// pin a transfer (correlated branches), clamps of a mapped length, and the
// successors a state goes to from a block's terminator.
#include "walk/Walker.h"
#include "clang/Basic/SourceManager.h"

#include "Engine.h"
#include "driver/DriverModel.h"

using namespace clang;
using namespace dmacheck;

/// What the path's branch facts say about A: known true, known false, or
/// unknown.
std::optional<bool> dmacheck::decideAtom(const PathState &S,
                                      const ConditionAtom &A) {
  for (const BranchFact &F : S.Facts) {
    if (F.Atom.V != A.V)
      continue;
    if (F.Atom == A)
      return F.Holds;
    if (!F.Atom.IsLess && F.Holds) // V == c is known
      return A.IsLess ? F.Atom.C < A.C : F.Atom.C == A.C;
    if (F.Atom.IsLess && !A.IsLess) {
      // V < c (or V >= c) is known; is V == k possible?
      if (F.Holds && A.C >= F.Atom.C)
        return false;
      if (!F.Holds && A.C < F.Atom.C)
        return false;
    }
    if (F.Atom.IsLess && A.IsLess) {
      if (F.Holds && A.C >= F.Atom.C)
        return true; // V < c <= k
      if (!F.Holds && A.C <= F.Atom.C)
        return false; // V >= c >= k
    }
  }
  return std::nullopt;
}

void FunctionWalker::pinFacts(PathState &S) {
  if (S.Transfers.empty()) {
    S.Trail.clear();
    S.Pinned.clear();
  } else {
    for (const BranchFact &F : S.Facts)
      if (S.Pinned.size() < 8 && correlates(F) &&
          llvm::find(S.Pinned, F) == S.Pinned.end())
        S.Pinned.push_back(F);
  }
}

/// Whether a branch fact can decide a later test the same way: not one about
/// a value a loop moves on (a cursor, a counter), which every iteration
/// tests anew; keeping those apart would only unroll the loop.
bool FunctionWalker::correlates(const BranchFact &F) const {
  // The value tested, or what it is computed from (`done != total`).
  std::function<bool(ValueId, unsigned)> Moves = [&](ValueId V,
                                                     unsigned Depth) {
    const ValueInfo &I = Values.info(V);
    switch (I.Kind) {
    case ValueKind::Advance:
    case ValueKind::Phi:
      return true;
    case ValueKind::Binary:
      return Depth < 4 &&
             (Moves(I.Operand, Depth + 1) || Moves(I.Operand2, Depth + 1));
    case ValueKind::Not:
      return Depth < 4 && Moves(I.Operand, Depth + 1);
    default:
      return false;
    }
  };
  return !Moves(F.Atom.V, 0);
}


FunctionWalker::Condition FunctionWalker::condition(PathState &S,
                                                    const Expr *E) {
  Condition C;
  E = stripCasts(E);
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_LNot) {
    C = condition(S, U->getSubExpr());
    C.Negated = !C.Negated;
    C.KnownValue = !C.KnownValue;
    return C;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E); B && B->isComparisonOp()) {
    ValueId L = eval(S, B->getLHS()), R = eval(S, B->getRHS());
    int64_t K;
    BinaryOperatorKind Op = B->getOpcode();
    ValueId V = NoValue;
    if (Values.isConstant(R, K)) {
      V = L;
    } else if (Values.isConstant(L, K)) {
      V = R;
      Op = BinaryOperator::reverseComparisonOp(Op);
    }
    if (V != NoValue) {
      int64_t Own;
      if (Values.isConstant(V, Own)) {
        C.Known = true;
        C.KnownValue = Values.info(Values.binary(Op, V, Values.constant(K)))
                           .Constant != 0;
        return C;
      }
      C.Atom.V = V;
      switch (Op) {
      case BO_EQ: C.Atom.C = K; break;
      case BO_NE: C.Atom.C = K; C.Negated = true; break;
      case BO_LT: C.Atom.IsLess = true; C.Atom.C = K; break;
      case BO_GE: C.Atom.IsLess = true; C.Atom.C = K; C.Negated = true; break;
      case BO_LE: C.Atom.IsLess = true; C.Atom.C = K + 1; break;
      case BO_GT: C.Atom.IsLess = true; C.Atom.C = K + 1; C.Negated = true; break;
      default: break;
      }
      return C;
    }
  }
  ValueId V = eval(S, E);
  int64_t K;
  if (Values.isConstant(V, K)) {
    C.Known = true;
    C.KnownValue = K != 0;
    return C;
  }
  // `x` is !(x == 0); `!x` arrives here as Not(x) only through a variable.
  if (Values.info(V).Kind == ValueKind::Not) {
    C.Atom.V = Values.info(V).Operand;
    C.Atom.C = 0;
    return C;
  }
  C.Atom.V = V;
  C.Atom.C = 0;
  C.Negated = true;
  return C;
}

void FunctionWalker::assume(PathState &S, const ConditionAtom &A, bool Holds) {
  if (A.V == NoValue)
    return;
  for (const BranchFact &F : S.Facts)
    if (F.Atom == A && F.Holds == Holds)
      return;
  if (S.Facts.size() >= 16)
    S.Facts.erase(S.Facts.begin());
  S.Facts.push_back({A, Holds});
}

/// The expression whose truth selects the branch out of a block, seeing
/// through the CFG's split of && and ||.
static const Expr *branchCondition(const CFGBlock &B) {
  const Stmt *T = B.getTerminatorStmt();
  const Expr *Cond = nullptr;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(T);
      BO && BO->isLogicalOp())
    Cond = BO->getLHS();
  else
    Cond = dyn_cast_or_null<Expr>(
        B.getTerminatorCondition(/*StripParens=*/true));
  while (Cond) {
    const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParens());
    if (!BO || !BO->isLogicalOp())
      break;
    Cond = BO->getRHS();
  }
  return Cond;
}

namespace {
/// Whether E could be a constant: no variable but a const one, no call but
/// a builtin, no access to memory, no side effect.
bool mayBeConstant(const Stmt *E, unsigned Depth = 0) {
  if (!E || Depth > 64)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (isa<EnumConstantDecl>(DRE->getDecl()))
      return true;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && VD->getType().isConstQualified() && VD->getInit();
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (!Call->getBuiltinCallee())
      return false;
  } else if (isa<MemberExpr>(E) || isa<ArraySubscriptExpr>(E) ||
             isa<StmtExpr>(E) ||
             (isa<BinaryOperator>(E) &&
              cast<BinaryOperator>(E)->isAssignmentOp())) {
    return false;
  } else if (const auto *U = dyn_cast<UnaryOperator>(E);
             U && (U->getOpcode() == UO_Deref || U->isIncrementDecrementOp())) {
    return false;
  } else if (isa<UnaryExprOrTypeTraitExpr>(E)) {
    return true; // sizeof: its operand is not evaluated
  }
  for (const Stmt *Child : E->children())
    if (!mayBeConstant(Child, Depth + 1))
      return false;
  return true;
}
} // namespace

std::optional<bool> FunctionWalker::constantCondition(const Expr *E) {
  auto [It, Inserted] = ConstantConditions.try_emplace(E);
  if (!Inserted)
    return It->second;
  bool Value;
  std::optional<bool> R;
  if (!E->isValueDependent() && !E->isTypeDependent() && mayBeConstant(E) &&
      E->EvaluateAsBooleanCondition(Value, Ctx))
    R = Value;
  return ConstantConditions[E] = R;
}

void FunctionWalker::successors(const CFGBlock &B, PathState &S) {
  const Stmt *T = B.getTerminatorStmt();
  if (const auto *G = dyn_cast_or_null<GotoStmt>(T))
    addStep(S, PathStep::Goto, G);

  if (const auto *Switch = dyn_cast_or_null<SwitchStmt>(T)) {
    ValueId V = eval(S, Switch->getCond());
    S.Evaluated = decltype(S.Evaluated)();
    llvm::SmallVector<int64_t, 8> Cases;
    bool AllSingle = true;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
      const CFGBlock *Target = Succ.getReachableBlock();
      if (!Target)
        continue;
      if (const auto *CS = dyn_cast_or_null<CaseStmt>(Target->getLabel())) {
        Expr::EvalResult R;
        if (!CS->getRHS() && CS->getLHS()->EvaluateAsInt(R, Ctx))
          Cases.push_back(R.Val.getInt().getExtValue());
        else
          AllSingle = false;
      }
    }
    // A switch over a constant takes its one case (the CFG is not pruned).
    std::optional<int64_t> Constant;
    int64_t Own;
    if (Values.isConstant(V, Own)) {
      Constant = Own;
    } else if (mayBeConstant(Switch->getCond())) {
      Expr::EvalResult R;
      if (Switch->getCond()->EvaluateAsInt(R, Ctx))
        Constant = R.Val.getInt().getExtValue();
    }
    unsigned Taken = 0, Reachable = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
      const CFGBlock *Target = Succ.getReachableBlock();
      if (!Target)
        continue;
      ++Reachable;
      PathState Next = S;
      const auto *CS = dyn_cast_or_null<CaseStmt>(Target->getLabel());
      Expr::EvalResult R;
      if (CS && !CS->getRHS() && CS->getLHS()->EvaluateAsInt(R, Ctx)) {
        ConditionAtom A{V, false, R.Val.getInt().getExtValue()};
        if (Constant && *Constant != A.C)
          continue;
        if (decideAtom(Next, A) == std::optional<bool>(false))
          continue;
        assume(Next, A, true);
        addStep(Next, PathStep::Case, CS);
      } else if (!CS) {
        if (Constant && AllSingle && llvm::is_contained(Cases, *Constant))
          continue;
        bool Feasible = true;
        for (int64_t K : Cases) {
          ConditionAtom A{V, false, K};
          if (decideAtom(Next, A) == std::optional<bool>(true))
            Feasible = false;
          if (Cases.size() <= 8)
            assume(Next, A, false);
        }
        if (!Feasible)
          continue;
        if (isa_and_nonnull<DefaultStmt>(Target->getLabel()))
          addStep(Next, PathStep::Default, Target->getLabel());
      }
      propagate(Target, std::move(Next));
      ++Taken;
    }
    if (!Taken && Reachable)
      lostPath(S, Switch);
    return;
  }

  const Expr *Cond = (T && B.succ_size() == 2) ? branchCondition(B) : nullptr;
  if (!Cond) {
    // The values of this block's expressions are not needed past its end:
    // not copied along. The last successor takes the state itself.
    S.Evaluated = decltype(S.Evaluated)();
    const CFGBlock *Last = nullptr;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs())
      if (const CFGBlock *Target = Succ.getReachableBlock()) {
        if (Last)
          propagate(Last, PathState(S));
        Last = Target;
      }
    if (Last)
      propagate(Last, std::move(S));
    return;
  }
  Condition C = condition(S, Cond);
  int Clamp = clampAt(B, Cond); // 0: none, 1: the true branch, 2: both
  std::optional<bool> Decided;
  if (C.Known)
    Decided = C.KnownValue;
  else if (auto K = constantCondition(Cond))
    Decided = *K;
  else if (auto D = decideAtom(S, C.Atom))
    Decided = *D != C.Negated;
  S.Evaluated = decltype(S.Evaluated)();
  // The edges the path takes; the last of them takes the state itself.
  unsigned Index = 0, Taken = 0, Reachable = 0, ToTake = 0;
  for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
    bool Branch = Index++ == 0;
    if (Succ.getReachableBlock() && !(Decided && *Decided != Branch))
      ++ToTake;
  }
  Index = 0;
  for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
    bool Branch = Index++ == 0; // the first successor is the true branch
    const CFGBlock *Target = Succ.getReachableBlock();
    if (!Target)
      continue;
    ++Reachable;
    if (Decided && *Decided != Branch)
      continue;
    ++Taken;
    PathState Next = Taken == ToTake ? std::move(S) : S;
    if (!Decided) {
      assume(Next, C.Atom, Branch != C.Negated);
      addStep(Next, Branch ? PathStep::AssumeTrue : PathStep::AssumeFalse,
              Cond);
      // A clamp decides what a map to come is asked for; with a transfer
      // already mapped and not flushed (a piece loop inside the operation),
      // no check can tell its two paths apart.
      std::pair<const Stmt *, bool> Split{Cond, Branch};
      bool MapToCome = llvm::none_of(
          Next.Transfers, [](const Transfer &T) { return !T.released(); });
      if (MapToCome && (Clamp == 2 || (Clamp == 1 && Branch)) &&
          Next.Splits.size() < 2 &&
          llvm::find(Next.Splits, Split) == Next.Splits.end())
        Next.Splits.push_back(Split);
    }
    propagate(Target, std::move(Next));
  }
  // The path's facts decided the branch towards an edge clang's CFG knows
  // cannot be taken: they contradict the program, and the path would be
  // lost without a word.
  if (!Taken && Reachable)
    lostPath(S, Cond);
}

/// Whether one path holds, in some location, the other's value with a flag
/// set: `x | c` against `x`.
FunctionWalker::EnvDifferences
FunctionWalker::envDifferences(const PathState &A, const PathState &B) {
  EnvDifferences D;
  ValueWork += forEachDifference(
      A.Env, B.Env,
      [&](const Location &L, const ValueId *InA, const ValueId *InB) {
        D.push_back({L, InA, InB});
      });
  return D;
}

bool FunctionWalker::flagSetApart(const PathState &A, const PathState &B,
                                  const EnvDifferences &D) {
  auto SetFrom = [&](ValueId X, ValueId Y) {
    const ValueInfo &I = Values.info(X);
    int64_t C;
    return I.Kind == ValueKind::Binary && I.Opcode == BO_Or &&
           ((I.Operand == Y && Values.isConstant(I.Operand2, C)) ||
            (I.Operand2 == Y && Values.isConstant(I.Operand, C)));
  };
  for (const EnvDifference &E : D) {
    ValueId VA = E.InA ? *E.InA : initialValue(A, E.L);
    ValueId VB = E.InB ? *E.InB : initialValue(B, E.L);
    if (VA != VB && (SetFrom(VA, VB) || SetFrom(VB, VA)))
      return true;
  }
  return false;
}

/// A path with something open that no successor accepts: said, never
/// dropped silently.
void FunctionWalker::lostPath(const PathState &S, const Stmt *At) {
  if (S.Transfers.empty())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  // Said, but not a reason to distrust the rest: such a path is usually one
  // that cannot run (a switch over every enumerator, with the value tested
  // out of range before), and the function's summary stays exact.
  if (Lost.empty())
    Lost = "a path with a transfer open was found to continue nowhere at "
           "line " +
           std::to_string(SM.getPresumedLineNumber(
               SM.getFileLoc(At->getBeginLoc()))) +
           " (its branch facts contradict the code there; the rest was "
           "analysed)";
}

/// Whether the branch out of B clamps one value to another: `if (a > b)
/// a = b;` (1: the true branch assigned) or `a < b ? a : b` (2: both
/// branches chose). Both sides must be the operands of the comparison.
int FunctionWalker::clampAt(const CFGBlock &B, const Expr *Cond) {
  const auto *Cmp = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  if (!Cmp || !Cmp->isRelationalOp())
    return 0;
  const Expr *L = Cmp->getLHS(), *R = Cmp->getRHS();
  // The same variable, or the same field of the same variable.
  std::function<bool(const Expr *, const Expr *)> Same =
      [&](const Expr *A, const Expr *B) {
        A = A->IgnoreParenImpCasts();
        B = B->IgnoreParenImpCasts();
        if (const auto *DA = dyn_cast<DeclRefExpr>(A)) {
          const auto *DB = dyn_cast<DeclRefExpr>(B);
          return DB && DA->getDecl() == DB->getDecl();
        }
        const auto *MA = dyn_cast<MemberExpr>(A);
        const auto *MB = dyn_cast<MemberExpr>(B);
        return MA && MB && MA->getMemberDecl() == MB->getMemberDecl() &&
               MA->isArrow() == MB->isArrow() &&
               Same(MA->getBase(), MB->getBase());
      };
  auto Operands = [&](const Expr *X, const Expr *Y) {
    return (Same(X, L) && Same(Y, R)) || (Same(X, R) && Same(Y, L));
  };
  const Stmt *T = B.getTerminatorStmt();
  if (const auto *CO = dyn_cast_or_null<AbstractConditionalOperator>(T))
    return Operands(CO->getTrueExpr(), CO->getFalseExpr()) ? 2 : 0;
  const auto *If = dyn_cast_or_null<IfStmt>(T);
  if (!If || If->getElse())
    return 0;
  const Stmt *Then = If->getThen();
  if (const auto *CS = dyn_cast<CompoundStmt>(Then))
    Then = CS->size() == 1 ? CS->body_front() : nullptr;
  const auto *A = dyn_cast_or_null<BinaryOperator>(Then);
  return A && A->getOpcode() == BO_Assign && Operands(A->getLHS(), A->getRHS())
             ? 1
             : 0;
}
