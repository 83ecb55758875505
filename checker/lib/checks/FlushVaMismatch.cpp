// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dma-flush-va-mismatch: the CurrentVa given to the flush is provably not the
// initial CurrentVa given to the operation's first MapTransfer (typically the
// cursor, advanced after the map).
#include "CheckContext.h"

using namespace dmacheck;

void dmacheck::checkFlushVa(CheckContext &C, const PathState &S,
                            const Transfer &T, const FlushSite &F) {
  if (!C.enabled(CheckId::FlushVaMismatch) || F.CurrentVa == NoValue ||
      T.CurrentVa == NoValue || F.CurrentVa == T.CurrentVa)
    return;
  const clang::Stmt *AdvancedAt = nullptr;
  bool Advanced = C.Values.isAdvancedFrom(F.CurrentVa, T.CurrentVa, 0,
                                          &AdvancedAt);
  if (!Advanced && !C.provablyDifferent(S, F.CurrentVa, T.CurrentVa))
    return;
  const RecognisedCall &Map = C.callee(T.MapCall);
  int VaIndex = F.Callee->Rule->Arguments.CurrentVa;
  const clang::Expr *FlushArg = C.arg(F.Call, VaIndex);
  const clang::Expr *MapArg =
      C.arg(T.MapCall, C.callee(T.MapCall).Rule->Arguments.CurrentVa);

  Finding Out;
  Out.Check = CheckId::FlushVaMismatch;
  Out.Loc = FlushArg ? FlushArg->getExprLoc() : C.callLoc(F.Call);
  Out.Range = FlushArg ? FlushArg->getSourceRange() : F.Call->getSourceRange();
  std::string Passed = FlushArg ? C.spell(FlushArg) : "CurrentVa";
  std::string Initial = C.variableHolding(S, T.CurrentVa, F.Call->getBeginLoc());
  Out.Message = "'" + F.Callee->CalleeName + "' is passed '" + Passed + "'";
  if (Advanced && AdvancedAt) {
    bool After = C.isBefore(C.callLoc(T.MapCall), AdvancedAt->getBeginLoc());
    Out.Message += ", which was advanced " +
                   std::string(After ? "after '" + Map.CalleeName + "' "
                                     : "") +
                   "(line " + std::to_string(C.line(AdvancedAt->getBeginLoc())) +
                   ")";
  } else {
    Out.Message += ", which is not the CurrentVa mapped at " + C.mapAt(T);
  }
  Out.Message += "; the flush needs the initial CurrentVa";
  if (!Initial.empty() && Initial != Passed)
    Out.Message += " ('" + Initial + "')";
  else if (MapArg)
    Out.Message += " given to '" + Map.CalleeName + "' at " + C.mapAt(T) + " ('" + C.spell(MapArg) + "')";

  std::vector<FindingNote> AtMap;
  if (MapArg)
    AtMap.push_back({MapArg->getExprLoc(),
                     "initial CurrentVa '" + C.spell(MapArg) + "' mapped here"});
  CheckContext::Highlights Along;
  if (AdvancedAt)
    Along.push_back({AdvancedAt, "'" + Passed + "' advanced here"});
  Out.Notes = C.pathNotes(S, T, std::move(AtMap), Along);
  // The fix-it: the variable that still holds the initial CurrentVa.
  C.emit(std::move(Out), C.fixFor(S, T, F, FixRole::CurrentVa, FlushArg));
}
