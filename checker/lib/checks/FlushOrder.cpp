// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dma-flush-order: FlushAdapterBuffers after the transfer's map registers or
// channel were released, or after its IRP was completed.
#include "CheckContext.h"

using namespace dmacheck;

void dmacheck::reportFlushOrder(CheckContext &C, const PathState &S,
                                const Transfer &T, const FlushSite &F) {
  if (!C.enabled(CheckId::FlushOrder) || !T.released())
    return;
  const RecognisedCall &Release = C.callee(T.ReleaseCall);
  Finding Out;
  Out.Check = CheckId::FlushOrder;
  Out.Loc = C.callLoc(F.Call);
  Out.Range = F.Call->getSourceRange();
  Out.Message = "'" + F.Callee->CalleeName + "' is called after '" +
                Release.CalleeName + "' " + C.releaseVerb(T) + " (line " +
                std::to_string(C.line(C.callLoc(T.ReleaseCall))) +
                "); flush before " +
                (T.ReleaseKind == EventKind::CompleteRequest
                     ? "completing the IRP"
                     : "releasing the map registers");
  Out.Notes = C.pathNotes(
      S, T, {},
      {{T.ReleaseCall, T.ReleaseKind == EventKind::CompleteRequest
                           ? "IRP completed here, before the flush"
                           : "released here, before the flush"}});
  C.emit(std::move(Out));
}
