// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dma-missing-flush: a mapped transfer reaches the completion of its IRP or
// the release of its map registers / channel / adapter, and no flush of it
// follows on that path. Reported once, at the first such call (a flush that
// does follow later is dma-flush-order instead).
#include "CheckContext.h"

#include "clang/AST/Decl.h"

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

// An AdapterControl that returns with a transfer mapped on map registers
// the system gave it, without flushing it and without keeping the map
// register base anywhere a later routine could flush with: nothing ever can.
void dmacheck::reportLostMapping(CheckContext &Checks, const PathState &S,
                                 const Transfer &T,
                                 const clang::FunctionDecl *Current) {
  if (T.MapFn || T.Producer || !Checks.enabled(CheckId::MissingFlush))
    return;
  const ValueInfo &I = Checks.Values.info(T.MapRegisterBase);
  if (I.Kind != ValueKind::Initial || !I.Decl || !clang::isa<clang::ParmVarDecl>(I.Decl) ||
      T.BaseKept)
    return;
  for (const auto &[Loc, Val] : S.Env) {
    if (Val != T.MapRegisterBase)
      continue;
    if (Loc.What != Location::Variable)
      return; // kept in a field or through a pointer
    // Variable locations hold the ValueDecl address: a variable, or the
    // function itself for what it returns (returned to the system: lost).
    const auto *VD =
        clang::dyn_cast<clang::VarDecl>(static_cast<const clang::ValueDecl *>(Loc.Decl));
    if (VD && VD->hasGlobalStorage())
      return;
  }
  Finding F;
  F.Check = CheckId::MissingFlush;
  const clang::Stmt *At = S.LastReturn ? S.LastReturn : nullptr;
  F.Loc = At ? At->getBeginLoc() : Checks.callLoc(T.MapCall);
  F.Range = At ? At->getSourceRange() : T.MapCall->getSourceRange();
  F.Message = "'" + Current->getNameAsString() +
              "' returns with the transfer mapped by '" +
              Checks.callee(T.MapCall).CalleeName + "' at line " +
              std::to_string(Checks.line(Checks.callLoc(T.MapCall))) +
              " not flushed, and keeps its MapRegisterBase nowhere a later "
              "routine could flush it from; flush it here, or store the "
              "MapRegisterBase in the device extension for the DPC";
  F.Notes = Checks.pathNotes(S, T);
  Checks.emit(std::move(F));
}
