// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dma-missing-flush: a mapped transfer reaches the completion of its IRP or
// the release of its map registers / channel / adapter, and no flush of it
// follows on that path. Reported once, at the first such call (a flush that
// does follow later is dma-flush-order instead).
#include "CheckContext.h"

using namespace dmacheck;

void dmacheck::reportMissingFlush(CheckContext &C, const PathState &S,
                                  const Transfer &T) {
  if (!C.enabled(CheckId::MissingFlush) || !T.released())
    return;
  const RecognisedCall &Release = C.callee(T.ReleaseCall);
  const RecognisedCall &Map = C.callee(T.MapCall);
  Finding F;
  F.Check = CheckId::MissingFlush;
  F.Loc = C.callLoc(T.ReleaseCall);
  F.Range = T.ReleaseCall->getSourceRange();
  F.Message = "'" + Release.CalleeName + "' " + C.releaseVerb(T) +
              " while the transfer mapped by '" + Map.CalleeName +
              "' at " + C.mapAt(T) +
              " has not been flushed; call FlushAdapterBuffers first";
  F.Notes = C.pathNotes(S, T);
  C.emit(std::move(F));
}
