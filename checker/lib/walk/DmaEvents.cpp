// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The DMA events on a path: a map opens a transfer (or extends the one a map
// loop is building), a flush meets its transfer and hands the pair to the
// checks, a release or completion marks the transfers it ends.
#include "walk/Walker.h"
#include "clang/Basic/SourceManager.h"

#include "Engine.h"
#include "driver/DriverModel.h"

using namespace clang;
using namespace dmacheck;

/// The IRP whose MDL a value is: the base of an `Irp->MdlAddress` read.
ValueId dmacheck::irpOfMdl(const ValueTable &Values, ValueId Mdl) {
  const ValueInfo &I = Values.info(Mdl);
  if (I.Kind == ValueKind::Initial && I.Field &&
      I.Field->getName() == "MdlAddress")
    return I.Operand;
  return NoValue;
}

void FunctionWalker::onMap(PathState &S, const CallExpr *Call,
                           const RecognisedCall &Ev) {
  const ArgumentRoles &A = Ev.Rule->Arguments;
  Transfer T;
  T.MapCall = Call;
  T.Adapter = roleValue(S, Call, A.Adapter);
  T.Mdl = roleValue(S, Call, A.Mdl);
  T.MapRegisterBase = roleValue(S, Call, A.MapRegisterBase);
  T.CurrentVa = roleValue(S, Call, A.CurrentVa);
  T.WriteToDevice = roleValue(S, Call, A.WriteToDevice);
  T.Irp = irpOfMdl(Values, T.Mdl);
  // Length is in/out: the request is read through the pointer, and the
  // mapped length is written back.
  if (A.Length >= 0) {
    ValueId Pointer = roleValue(S, Call, A.Length);
    if (auto L = pointee(Pointer)) {
      T.Requested = read(S, *L);
      T.Mapped = Values.fresh(Call, Pointer);
      write(S, *L, T.Mapped);
    }
  }
  openTransfer(S, T, Call);
}

void FunctionWalker::openTransfer(PathState &S, Transfer T,
                                  const CallExpr *Call) {
  // A further map of the same MDL or map registers before a flush continues
  // the operation (a scatter/gather loop maps one operation piece by piece).
  for (Transfer &Open : S.Transfers) {
    if (Open.released())
      continue;
    if ((T.Mdl != NoValue && Open.Mdl == T.Mdl) ||
        (T.MapRegisterBase != NoValue &&
         Open.MapRegisterBase == T.MapRegisterBase) ||
        Open.MapCall == Call) {
      Open.Several = true;
      return;
    }
  }
  if (S.Transfers.size() >= Opts.Limits.MaxTransfers) {
    giveUp("more than " + std::to_string(Opts.Limits.MaxTransfers) +
           " transfers open on one path");
    return;
  }
  // The clamp that decided the length asked for, if the path went through
  // one: one side of its comparison is the requested length now.
  for (auto It = S.Splits.rbegin(); !T.Clamp && It != S.Splits.rend(); ++It) {
    const auto *Cmp = dyn_cast<BinaryOperator>(cast<Expr>(It->first));
    if (Cmp && T.Requested != NoValue &&
        (eval(S, Cmp->getLHS()) == T.Requested ||
         eval(S, Cmp->getRHS()) == T.Requested)) {
      T.Clamp = cast<Expr>(It->first);
      T.ClampBranch = It->second;
    }
  }
  // Map registers already stored where a later routine finds them
  // (`Transfer->MapRegisterBase = MapRegisterBase;` before the map).
  for (const auto &[Loc, Val] : S.Env)
    if (Val == T.MapRegisterBase && T.MapRegisterBase != NoValue &&
        outlivesCall(Loc))
      T.BaseKept = true;
  S.Transfers.push_back(T);
}

void FunctionWalker::onFlush(PathState &S, const CallExpr *Call,
                             const RecognisedCall &Ev) {
  const ArgumentRoles &A = Ev.Rule->Arguments;
  FlushSite F;
  F.Call = Call;
  F.Callee = &Ev;
  F.Adapter = roleValue(S, Call, A.Adapter);
  F.Mdl = roleValue(S, Call, A.Mdl);
  F.MapRegisterBase = roleValue(S, Call, A.MapRegisterBase);
  F.CurrentVa = roleValue(S, Call, A.CurrentVa);
  F.Length = roleValue(S, Call, A.Length);
  F.WriteToDevice = roleValue(S, Call, A.WriteToDevice);
  flushWith(S, F);
}

void FunctionWalker::flushWith(PathState &S, const FlushSite &F) {
  if (S.Transfers.empty()) {
    // Nothing mapped here, or a transfer no longer followed (an unknown
    // call): no fix-it may change what this path flushes.
    Checks.noteUnmatchedFlush(F);
    return;
  }

  // Which transfer does this flush end? The only one; else the one mapped
  // with the same MDL or map registers. When that is ambiguous, every
  // candidate counts as flushed and nothing is checked (unknown is silent).
  llvm::SmallVector<size_t, 2> Same;
  for (size_t I = 0; I < S.Transfers.size(); ++I) {
    const Transfer &T = S.Transfers[I];
    if ((F.Mdl != NoValue && T.Mdl == F.Mdl) ||
        (F.MapRegisterBase != NoValue && T.MapRegisterBase == F.MapRegisterBase))
      Same.push_back(I);
  }
  std::optional<size_t> Match;
  if (S.Transfers.size() == 1)
    Match = 0;
  else if (Same.size() == 1)
    Match = Same.front();

  if (!Match) {
    Checks.noteUnmatchedFlush(F);
    if (Same.empty()) {
      S.Transfers.clear();
    } else {
      for (size_t I : llvm::reverse(Same))
        S.Transfers.erase(S.Transfers.begin() + I);
    }
    return;
  }
  const Transfer T = S.Transfers[*Match];
  S.Transfers.erase(S.Transfers.begin() + *Match);
  Checks.noteFlush(S, T, F);
  if (T.released())
    reportFlushOrder(Checks, S, T, F);
  checkFlushVa(Checks, S, T, F);
  checkFlushLength(Checks, S, T, F);
  checkFlushArguments(Checks, S, T, F);
}

void FunctionWalker::onRelease(PathState &S, const CallExpr *Call,
                               const RecognisedCall &Ev) {
  const ArgumentRoles &A = Ev.Rule->Arguments;
  releaseWith(S, Call, Ev.Rule->Kind, roleValue(S, Call, A.Adapter),
              roleValue(S, Call, A.MapRegisterBase), roleValue(S, Call, A.Irp));
}

void FunctionWalker::releaseWith(PathState &S, const CallExpr *Call,
                                 EventKind Kind, ValueId Adapter, ValueId Base,
                                 ValueId Irp) {
  bool Released = false;
  for (Transfer &T : S.Transfers) {
    if (T.released())
      continue;
    bool Hits;
    if (Kind == EventKind::CompleteRequest)
      // The transfer's own IRP when we know it (its MDL is Irp->MdlAddress);
      // otherwise any IRP this routine completes while the transfer is open.
      Hits = T.Irp == NoValue || T.Irp == Irp;
    else
      Hits = (Adapter != NoValue && T.Adapter == Adapter) ||
             (Base != NoValue && T.MapRegisterBase == Base);
    if (!Hits)
      continue;
    T.ReleaseCall = Call;
    T.ReleaseKind = Kind;
    Released = true;
  }
  if (Released)
    addStep(S, PathStep::Release, Call);
}
