// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dma-flush-arg-mismatch: the Mdl, MapRegisterBase, adapter or WriteToDevice
// given to the flush provably differ from the ones given to the map.
#include "CheckContext.h"

using namespace dmacheck;

namespace {
struct Role {
  const char *Name;
  ValueId Transfer::*Mapped;
  ValueId FlushSite::*Flushed;
  int ArgumentRoles::*Index;
  /// The fix-it's role; Count: none (the adapter: the operations table the
  /// call goes through came from the adapter it names).
  FixRole Fix;
};
} // namespace

void dmacheck::checkFlushArguments(CheckContext &C, const PathState &S,
                                   const Transfer &T, const FlushSite &F) {
  if (!C.enabled(CheckId::FlushArgMismatch))
    return;
  static const Role Roles[] = {
      {"the adapter", &Transfer::Adapter, &FlushSite::Adapter,
       &ArgumentRoles::Adapter, FixRole::Count},
      {"the Mdl", &Transfer::Mdl, &FlushSite::Mdl, &ArgumentRoles::Mdl,
       FixRole::Mdl},
      {"MapRegisterBase", &Transfer::MapRegisterBase,
       &FlushSite::MapRegisterBase, &ArgumentRoles::MapRegisterBase,
       FixRole::MapRegisterBase},
      {"WriteToDevice", &Transfer::WriteToDevice, &FlushSite::WriteToDevice,
       &ArgumentRoles::WriteToDevice, FixRole::WriteToDevice},
  };
  const RecognisedCall &Map = C.callee(T.MapCall);
  for (const Role &R : Roles) {
    ValueId Was = T.*R.Mapped, Now = F.*R.Flushed;
    if (Was == NoValue || Now == NoValue || !C.provablyDifferent(S, Was, Now))
      continue;
    const clang::Expr *FlushArg = C.arg(F.Call, F.Callee->Rule->Arguments.*R.Index);
    const clang::Expr *MapArg = C.arg(T.MapCall, Map.Rule->Arguments.*R.Index);
    if (!FlushArg || !MapArg)
      continue;
    Finding Out;
    Out.Check = CheckId::FlushArgMismatch;
    Out.Loc = FlushArg->getExprLoc();
    Out.Range = FlushArg->getSourceRange();
    std::string Passed = C.spell(FlushArg), Mapped = C.spell(MapArg);
    std::string MapAt = C.mapAt(T);
    const clang::Stmt *ChangedAt = nullptr;
    C.Values.isAdvancedFrom(Now, Was, 0, &ChangedAt);
    if (Passed == Mapped)
      // The same expression, but its value moved on since the map.
      Out.Message = "'" + F.Callee->CalleeName + "' is passed " + R.Name +
                    " '" + Passed + "', which changed after '" +
                    Map.CalleeName + "' at " + MapAt +
                    " mapped the transfer with it";
    else
      Out.Message = "'" + F.Callee->CalleeName + "' is passed " + R.Name +
                    " '" + Passed + "', but '" + Map.CalleeName +
                    "' at " + MapAt + " mapped the transfer with '" +
                    Mapped + "'";
    CheckContext::Highlights Along;
    if (ChangedAt)
      Along.push_back({ChangedAt, "'" + Passed + "' changed here"});
    Out.Notes = C.pathNotes(
        S, T,
        {{MapArg->getExprLoc(),
          std::string(R.Name) + " '" + Mapped + "' given to the map here"}},
        Along);
    std::optional<PendingFix> Fix;
    if (R.Fix != FixRole::Count)
      Fix = C.fixFor(S, T, F, R.Fix, FlushArg);
    C.emit(std::move(Out), std::move(Fix));
  }
}
