// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dma-flush-length-mismatch: the Length given to the flush is provably neither
// the requested nor the mapped length of the operation (nor its total).
// Provable here means: a counter run down after the map (`remaining -= len`),
// or a constant larger than a constant request (MapTransfer never maps more
// than it was asked for).
#include "CheckContext.h"

using namespace dmacheck;

void dmacheck::checkFlushLength(CheckContext &C, const PathState &S,
                                const Transfer &T, const FlushSite &F) {
  if (!C.enabled(CheckId::FlushLengthMismatch) || F.Length == NoValue)
    return;
  ValueId L = F.Length;
  if (L == T.Requested || (!T.Several && L == T.Mapped))
    return;

  const clang::Stmt *ChangedAt = nullptr;
  bool RunDown = false;
  for (ValueId Accepted : {T.Requested, T.Mapped})
    if (Accepted != NoValue &&
        C.Values.isAdvancedFrom(L, Accepted, -1, &ChangedAt)) {
      RunDown = true;
      break;
    }
  int64_t Flushed = 0, Asked = 0;
  bool TooLong = !RunDown && C.Values.isConstant(L, Flushed) &&
                 C.Values.isConstant(T.Requested, Asked) && Flushed > Asked;
  if (!RunDown && !TooLong)
    return;

  const RecognisedCall &Map = C.callee(T.MapCall);
  const clang::Expr *FlushArg = C.arg(F.Call, F.Callee->Rule->Arguments.Length);
  const clang::Expr *MapArg =
      C.arg(T.MapCall, Map.Rule->Arguments.Length);
  if (MapArg)
    if (const auto *U =
            llvm::dyn_cast<clang::UnaryOperator>(MapArg->IgnoreParenImpCasts()))
      if (U->getOpcode() == clang::UO_AddrOf)
        MapArg = U->getSubExpr();
  std::string Passed = FlushArg ? C.spell(FlushArg) : "Length";
  unsigned MapLine = C.line(C.callLoc(T.MapCall));

  Finding Out;
  Out.Check = CheckId::FlushLengthMismatch;
  Out.Loc = FlushArg ? FlushArg->getExprLoc() : C.callLoc(F.Call);
  Out.Range = FlushArg ? FlushArg->getSourceRange() : F.Call->getSourceRange();
  Out.Message = "'" + F.Callee->CalleeName + "' is passed '" + Passed +
                "' as Length, ";
  if (RunDown) {
    bool After = ChangedAt &&
                 C.isBefore(C.callLoc(T.MapCall), ChangedAt->getBeginLoc());
    Out.Message += "which was decremented " +
                   std::string(After ? "after '" + Map.CalleeName + "' " : "") +
                   "(line " +
                   std::to_string(ChangedAt ? C.line(ChangedAt->getBeginLoc())
                                            : MapLine) +
                   ")";
  } else {
    Out.Message += "more than the " + std::to_string(Asked) +
                   " bytes requested from '" + Map.CalleeName + "' at " + C.mapAt(T);
  }
  if (T.Several) {
    // Mapped piece by piece: the flush covers the whole operation.
    std::string Total = C.variableHolding(S, T.Requested, F.Call->getBeginLoc());
    Out.Message += "; the flush needs the total length of the operation";
    if (!Total.empty() && Total != Passed)
      Out.Message += " ('" + Total + "')";
  } else {
    std::string Holder = C.variableHolding(S, T.Mapped, F.Call->getBeginLoc());
    if (Holder.empty())
      Holder = C.variableHolding(S, T.Requested, F.Call->getBeginLoc());
    Out.Message += "; the flush needs the length of this transfer";
    if (!Holder.empty() && Holder != Passed)
      Out.Message += " ('" + Holder + "')";
    else if (MapArg)
    Out.Message += " as given to '" + Map.CalleeName + "' at " + C.mapAt(T) + " ('" + C.spell(MapArg) + "')";
  }

  std::vector<FindingNote> AtMap;
  if (MapArg)
    AtMap.push_back({MapArg->getExprLoc(),
                     "length '" + C.spell(MapArg) + "' mapped here"});
  CheckContext::Highlights Along;
  if (ChangedAt)
    Along.push_back({ChangedAt, "'" + Passed + "' decremented here"});
  Out.Notes = C.pathNotes(S, T, std::move(AtMap), Along);
  // The fix-it: the variable holding the length mapped (none after several
  // maps: the total is no one value).
  C.emit(std::move(Out), C.fixFor(S, T, F, FixRole::Length, FlushArg));
}
