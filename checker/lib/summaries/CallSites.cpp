// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Applying what another function does, at a call: a helper's effects (a
// flush or release with the caller's arguments), or a map helper's exit
// cases (one state per way it returns that the caller's arguments allow,
// with the transfer it left open where its summary says).
#include "walk/Walker.h"
#include "clang/Basic/SourceManager.h"

#include "Engine.h"
#include "driver/DriverModel.h"
#include "model/Calls.h"

using namespace clang;
using namespace dmacheck;

ValueId FunctionWalker::objectPointer(PathState &S, const CallExpr *Call) {
  bool Pointer;
  const Expr *Obj = objectArgument(Call, Pointer);
  if (!Obj)
    return NoValue;
  return Pointer ? eval(S, Obj) : addressOf(S, Obj);
}

ValueId FunctionWalker::argumentValue(PathState &S, const CallExpr *Call,
                                      int Index) {
  if (Index == ThisParam)
    return objectPointer(S, Call);
  const Expr *Arg = explicitArgument(Call, Index);
  if (!Arg)
    return NoValue;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (Callee && unsigned(Index) < Callee->getNumParams() &&
      isReference(Callee->getParamDecl(unsigned(Index))))
    return referenceTo(S, Arg, Callee->getParamDecl(unsigned(Index)));
  return eval(S, Arg);
}

ValueId FunctionWalker::paramValue(PathState &S, const CallExpr *Call,
                                   const ParamRef &R) {
  ValueId V = argumentValue(S, Call, R.Index);
  if (V == NoValue)
    return NoValue;
  if (!R.Field)
    return V;
  return read(S, Location{Location::Field, R.Field, V});
}

/// A call to a same-file helper whose effects are exact: each of its DMA
/// calls happens here, with the caller's values for the helper's parameters.
void FunctionWalker::applyHelper(PathState &S, const CallExpr *Call,
                                 const HelperSummary &H) {
  // Name the helper in messages (the call is the event, as for the API).
  // Kept apart from the recognised API calls: the call itself is no event
  // of the API, and another state reaching it applies the helper again.
  auto [It, New] = HelperCalls.try_emplace(Call);
  if (New) {
    It->second.Rule = &H.Rule;
    It->second.CalleeName = Call->getDirectCallee()->getNameAsString();
    It->second.ApiName = apiNameFor(H.Rule.Kind).str();
  }
  for (const HelperEffect &E : H.Effects) {
    if (E.Kind == EventKind::Flush) {
      FlushSite F;
      F.Call = Call;
      F.Callee = &It->second;
      F.Helper = true;
      F.Adapter = paramValue(S, Call, E.Adapter);
      F.Mdl = paramValue(S, Call, E.Mdl);
      F.MapRegisterBase = paramValue(S, Call, E.MapRegisterBase);
      F.CurrentVa = paramValue(S, Call, E.CurrentVa);
      F.Length = paramValue(S, Call, E.Length);
      F.WriteToDevice = paramValue(S, Call, E.WriteToDevice);
      flushWith(S, F);
    } else {
      releaseWith(S, Call, E.Kind, paramValue(S, Call, E.Adapter),
                  paramValue(S, Call, E.MapRegisterBase),
                  paramValue(S, Call, E.Irp));
    }
  }
  if (S.Transfers.empty()) {
    S.Trail.clear();
    S.Pinned.clear();
  }
}


std::optional<Location> FunctionWalker::slotLocation(PathState &S,
                                                     const CallExpr *Call,
                                                     const SlotRef &R) {
  if (R.K != SlotRef::InField)
    return std::nullopt;
  ValueId Base = argumentValue(S, Call, R.Index);
  if (Base == NoValue)
    return std::nullopt;
  if (R.Via)
    Base = read(S, Location{Location::Field, R.Via, Base});
  return Location{Location::Field, R.Field, Base};
}

/// A call to a helper that maps: the path goes on in one state per case of
/// its summary that the arguments allow (the current state, and forks that
/// resume after this call).
void FunctionWalker::callMapHelper(PathState &S, const CallExpr *Call,
                                   const ExitSummary &Sum,
                                   const FieldWrites *W) {
  llvm::SmallVector<PathState, 4> Ways;
  for (const ExitCase &O : Sum.Cases) {
    PathState Next = S;
    if (!enterCase(Next, Call, O))
      continue;
    invalidateThroughArguments(Next, Call, W);
    applyMapSummary(Next, Call, O);
    Next.Evaluated[Call] = O.Returned ? Values.constant(*O.Returned)
                                      : Values.fresh(Call);
    Ways.push_back(std::move(Next));
  }
  if (Ways.empty()) {
    // No way the helper returns is open to these arguments: the path ends.
    // With a transfer open, that is a path lost: said.
    if (!S.Transfers.empty()) {
      const SourceManager &SM = Ctx.getSourceManager();
      giveUp("a path with a transfer open fits no way '" +
             (Call->getDirectCallee()
                  ? Call->getDirectCallee()->getNameAsString()
                  : std::string("?")) +
             "' returns, at line " +
             std::to_string(SM.getPresumedLineNumber(
                 SM.getFileLoc(Call->getBeginLoc()))));
    }
    PathDead = true;
    return;
  }
  if (Forks.size() + Ways.size() > Opts.Limits.MaxStatesPerBlock) {
    giveUp("more than " + std::to_string(Opts.Limits.MaxStatesPerBlock) +
           " ways through the helper calls of one block");
    Stopped = true;
    Worklist.clear();
    PathDead = true;
    return;
  }
  S = std::move(Ways.front());
  for (size_t I = 1; I < Ways.size(); ++I)
    addFork(std::move(Ways[I]), Call);
}

/// A state forked at a call, to resume after it: merged with another fork
/// that resumes there with the same DMA state and the same call value, as
/// states are at a block's entry (at a join point of its own).
void FunctionWalker::addFork(PathState W, const CallExpr *Call) {
  size_t Resume = CurrentElement + 1;
  ValueId V = W.Evaluated.lookup(Call);
  computeMoved(W);
  for (auto &[F, At] : Forks)
    if (At == Resume && F.Evaluated.lookup(Call) == V && F.sameDmaState(W)) {
      uint64_t JoinPoint =
          uint64_t(Graph->getNumBlockIDs()) * Resume + CurrentBlock;
      joinInto(JoinPoint, F, W);
      return;
    }
  Forks.push_back({std::move(W), Resume});
}

/// Whether a case of a callee's summary is possible for this call: what its
/// paths assumed about their arguments, checked against (and then assumed
/// of) the values the call passes.
bool FunctionWalker::enterCase(PathState &S, const CallExpr *Call,
                               const ExitCase &O) {
  for (const EntryFact &F : O.Entry) {
    ValueId V = NoValue;
    if (F.Where.K == SlotRef::InParam) {
      V = argumentValue(S, Call, F.Where.Index);
    } else if (auto L = slotLocation(S, Call, F.Where)) {
      V = read(S, *L);
    }
    if (V == NoValue)
      continue;
    ConditionAtom A{V, F.IsLess, F.C};
    int64_t K;
    if (Values.isConstant(V, K)) {
      if ((F.IsLess ? K < F.C : K == F.C) != F.Holds)
        return false;
      continue;
    }
    if (auto D = decideAtom(S, A)) {
      if (*D != F.Holds)
        return false;
      continue;
    }
    assume(S, A, F.Holds);
  }
  return true;
}

/// A way a helper returns, applied at its call: the transfer it left open
/// is open here, its values where the helper left them (read after the
/// call), the locations it moved on from them moved on here, and the
/// constants it left are there.
void FunctionWalker::applyMapSummary(PathState &S, const CallExpr *Call,
                                     const ExitCase &O) {
  for (const ConstRef &C : O.Constants)
    if (auto L = slotLocation(S, Call, C.Where)) {
      if (!C.AtLeast)
        write(S, *L, Values.constant(C.C));
      else
        assume(S, ConditionAtom{read(S, *L), true, C.C}, false);
    }
  if (!O.Open)
    return;
  Transfer T;
  T.MapCall = O.MapCall;
  T.MapFn = O.MapFn;
  T.Several = O.Several;
  T.Clamp = O.Clamp;
  T.ClampBranch = O.ClampBranch;
  for (unsigned K = 0; K < Transfer::NumValueSlots; ++K) {
    const SlotRef &R = O.Slots[K];
    switch (R.K) {
    case SlotRef::Nowhere:
      break;
    case SlotRef::IsConst:
      T.slot(K) = Values.constant(R.C);
      break;
    case SlotRef::InParam:
      T.slot(K) = argumentValue(S, Call, R.Index);
      break;
    case SlotRef::InField:
      if (auto L = slotLocation(S, Call, R))
        T.slot(K) = read(S, *L);
      break;
    }
  }
  if (T.Irp == NoValue)
    T.Irp = irpOfMdl(Values, T.Mdl);
  for (const MovedRef &M : O.Moved) {
    auto L = slotLocation(S, Call, M.Where);
    if (!L || !M.Site)
      continue;
    // The value it moved on from may be held nowhere the caller sees: it
    // is then a value of its own, equal to nothing here, that the moved
    // location is still provably moved on from.
    ValueId &From = T.slot(M.Slot);
    if (From == NoValue)
      From = Values.fresh(M.Site, Values.fresh(Call, Values.constant(M.Slot)));
    write(S, *L,
          Values.advance(M.Site, From, Values.fresh(M.Site, Values.fresh(Call)),
                         M.Dir));
  }
  openTransfer(S, T, O.MapCall);
  pinFacts(S);
}
