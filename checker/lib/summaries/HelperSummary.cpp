// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The summaries of same-file helpers: a helper that flushes, releases or
// completes on every path with arguments that are its parameters (or their
// fields) is replaced at its calls by those effects (HelperSummary); a helper
// whose only DMA effect is to map is walked once and its exit cases
// (ExitSummary) are what its callers continue with.
#include "Engine.h"
#include "clang/Basic/SourceManager.h"
#include "walk/Walker.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;
using namespace dmacheck;

/// The parameter (or parameter's field) an argument of a helper's DMA call
/// is, if it is one.
static ParamRef paramRefOf(const FunctionDecl *Helper, const Expr *Arg) {
  ParamRef R;
  if (!Arg)
    return R;
  const Expr *E = stripCasts(Arg);
  if (const auto *Load = dyn_cast<CastExpr>(E);
      Load && Load->getCastKind() == CK_LValueToRValue)
    E = Load->getSubExpr()->IgnoreParens();
  // `p->F`, `m_F` (`this->F`), and `r.F` through a reference parameter.
  bool ThroughReference = false;
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    R.Field = dyn_cast<FieldDecl>(M->getMemberDecl());
    E = stripCasts(M->getBase());
    if (const auto *Load = dyn_cast<CastExpr>(E);
        Load && Load->getCastKind() == CK_LValueToRValue)
      E = Load->getSubExpr()->IgnoreParens();
    if (!R.Field)
      return ParamRef();
    ThroughReference = !M->isArrow();
  }
  if (isa<CXXThisExpr>(E) && !ThroughReference && instanceMethod(Helper)) {
    R.Index = ThisParam;
    return R;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      if (ThroughReference == isReference(P))
        for (unsigned I = 0; I < Helper->getNumParams(); ++I)
          if (Helper->getParamDecl(I) == P) {
            R.Index = int(I);
            return R;
          }
  return ParamRef();
}

const HelperSummary *Engine::summaryOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || !Driver.isOurs(Def))
    return nullptr;
  auto It = Summaries.find(Def);
  if (It != Summaries.end())
    return It->second.get();
  std::unique_ptr<HelperSummary> Result;
  auto Done = [&]() -> const HelperSummary * {
    return (Summaries[Def] = std::move(Result)).get();
  };
  // Exact only when every DMA call of the helper is a flush, release or
  // completion with parameter-based arguments, it calls no other helper with
  // DMA effects, and each of those calls is on every path through it.
  if (Driver.factsOf(Def).HasErrors || Driver.factsOf(Def).AnyMap)
    return Done();
  for (const FunctionDecl *C : Driver.factsOf(Def).Callees)
    if (Driver.dmaEffects(C) != DmaEffects::None)
      return Done();
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  BO.PruneTriviallyFalseEdges = true;
  std::unique_ptr<CFG> G = CFG::buildCFG(Def, Def->getBody(), &Ctx, BO);
  if (!G)
    return Done();
  std::vector<std::pair<const CallExpr *, const CFGBlock *>> Events;
  for (const CFGBlock *B : *G)
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>())
        if (const auto *Call = dyn_cast<CallExpr>(CS->getStmt()))
          if (Recognizer.recognise(Call))
            Events.push_back({Call, B});
  if (Events.empty())
    return Done();
  auto H = std::make_unique<HelperSummary>();
  for (const auto &[Call, Block] : Events) {
    const EventRule &Rule = *Recognizer.recognise(Call)->Rule;
    if (Rule.Kind != EventKind::Flush && !isReleaseOrComplete(Rule.Kind))
      return Done();
    // On every path: the exit cannot be reached around this block.
    std::vector<bool> Seen(G->getNumBlockIDs(), false);
    std::vector<const CFGBlock *> Work{&G->getEntry()};
    Seen[G->getEntry().getBlockID()] = true;
    bool Around = false;
    while (!Work.empty() && !Around) {
      const CFGBlock *B = Work.back();
      Work.pop_back();
      if (B == &G->getExit()) {
        Around = true;
        break;
      }
      // A path that ends in a call that does not return (an assertion's
      // __int2c, KeBugCheckEx) never returns to the caller: not around.
      if (B->hasNoReturnElement())
        continue;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        const CFGBlock *N = Succ.getReachableBlock();
        if (N && N != Block && !Seen[N->getBlockID()]) {
          Seen[N->getBlockID()] = true;
          Work.push_back(N);
        }
      }
    }
    if (Around)
      return Done();
    const ArgumentRoles &A = Rule.Arguments;
    auto ArgAt = [&](int I) -> const Expr * {
      return I >= 0 && unsigned(I) < Call->getNumArgs()
                 ? Call->getArg(unsigned(I))
                 : nullptr;
    };
    HelperEffect E;
    E.Kind = Rule.Kind;
    E.Adapter = paramRefOf(Def, ArgAt(A.Adapter));
    E.Mdl = paramRefOf(Def, ArgAt(A.Mdl));
    E.MapRegisterBase = paramRefOf(Def, ArgAt(A.MapRegisterBase));
    E.CurrentVa = paramRefOf(Def, ArgAt(A.CurrentVa));
    E.Length = paramRefOf(Def, ArgAt(A.Length));
    E.WriteToDevice = paramRefOf(Def, ArgAt(A.WriteToDevice));
    E.Irp = paramRefOf(Def, ArgAt(A.Irp));
    E.Inside = Call;
    // A completion of an IRP that is not a parameter completes something the
    // caller cannot name: not exact.
    if (E.Kind == EventKind::CompleteRequest && E.Irp.Index < 0)
      return Done();
    H->Effects.push_back(E);
  }
  // Source order inside the helper is the order of its effects.
  std::stable_sort(H->Effects.begin(), H->Effects.end(),
                   [&](const HelperEffect &X, const HelperEffect &Y) {
                     return SM.isBeforeInTranslationUnit(X.Inside->getBeginLoc(),
                                                         Y.Inside->getBeginLoc());
                   });
  H->Rule.Kind = H->Effects.back().Kind;
  H->Rule.Origin = "helper";
  // Messages name the caller's argument where a role is a plain parameter.
  for (const HelperEffect &E : H->Effects) {
    auto Plain = [](const ParamRef &R) { return R.Field ? -1 : R.Index; };
    ArgumentRoles &A = H->Rule.Arguments;
    A.Adapter = Plain(E.Adapter);
    A.Mdl = Plain(E.Mdl);
    A.MapRegisterBase = Plain(E.MapRegisterBase);
    A.CurrentVa = Plain(E.CurrentVa);
    A.Length = Plain(E.Length);
    A.WriteToDevice = Plain(E.WriteToDevice);
    A.Irp = Plain(E.Irp);
    if (E.Kind == EventKind::Flush)
      break;
  }
  Result = std::move(H);
  return Done();
}

const ExitSummary *Engine::mapSummaryOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || !Driver.isOurs(Def))
    return nullptr;
  const FunctionFacts &F = Driver.factsOf(Def);
  if (F.AnyOtherEvent || F.HasErrors)
    return nullptr;
  if (Analysing.count(Def))
    return nullptr; // recursion
  // It maps itself, or through helpers that only map (a C++ thunk's
  // member, a method that maps the next piece), and does nothing else.
  bool Maps = F.AnyMap;
  for (const FunctionDecl *C : F.Callees) {
    DmaEffects E = Driver.dmaEffects(C);
    if (E == DmaEffects::None)
      continue;
    if (E == DmaEffects::Unknown || !mapSummaryOf(C))
      return nullptr;
    Maps = true;
  }
  if (!Maps)
    return nullptr;
  const ExitSummary &E = analyzeFunction(Def);
  return E.Exact && E.opens() ? &E : nullptr;
}
