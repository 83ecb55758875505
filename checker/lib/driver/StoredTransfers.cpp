// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Transfers across callbacks. A routine the system calls (AdapterControl, a
// DPC that maps the next operation) that returns with a transfer open and its
// MDL or map register base in a field of the device extension stores it
// there: one StoredTransfer per way it returns. A DPC that reads those fields
// starts in one more state per stored transfer, created at its first access
// to the device extension (maybeSeed), unless a routine that may run in
// between (the ISR, a KeSynchronizeExecution routine) writes them.
#include "Engine.h"
#include "clang/Basic/SourceManager.h"
#include "walk/Walker.h"

using namespace clang;
using namespace dmacheck;

/// Transfers left open by routines the system calls (nothing in the file
/// calls them), stored in the device extension: one per way such a routine
/// returns with its MDL or map register base in a field. Each is how the
/// device extension is on some path when the DPC runs, so each is a state
/// the DPC starts in; when there are more than a DPC can start from, those
/// of one transfer are merged to what they all agree on.
void Engine::storeTransfers() {
  constexpr size_t MaxStored = 8;
  std::vector<std::unique_ptr<StoredTransfer>> All;
  for (const FunctionDecl *FD : Driver.defined()) {
    if (Driver.isCalled(FD))
      continue;
    auto It = Exits.find(FD);
    if (It == Exits.end() || !It->second.Exact)
      continue;
    for (const ExitCase &O : It->second.Cases) {
      if (!O.Open)
        continue;
      auto FieldOf = [](const SlotRef &R) -> const FieldDecl * {
        return R.K == SlotRef::InField ? R.Field : nullptr;
      };
      const FieldDecl *Key = FieldOf(O.Slots[Transfer::BaseSlot]);
      if (!Key)
        Key = FieldOf(O.Slots[Transfer::MdlSlot]);
      if (!Key)
        continue;
      if (Driver.writtenInBetween(Key))
        continue; // what the DPC finds there is not what was mapped
      auto T = std::make_unique<StoredTransfer>();
      T->Record = Key->getParent();
      T->Producer = FD;
      ExitCase &C = T->Case;
      C.Open = true;
      C.MapCall = O.MapCall;
      C.MapFn = O.MapFn;
      C.Several = O.Several;
      C.Clamp = O.Clamp;
      C.ClampBranch = O.ClampBranch;
      // What the producer left in a field is still there when the DPC
      // runs, unless a routine that runs in between writes it: the ISR, a
      // routine the system runs synchronized with it, and what those call.
      auto InRecord = [&](const SlotRef &R) {
        SlotRef F;
        if (R.K == SlotRef::InField && R.Field->getParent() == T->Record &&
            !Driver.writtenInBetween(R.Field)) {
          F.K = SlotRef::InField;
          F.Field = R.Field;
        }
        return F;
      };
      for (unsigned K = 0; K < Transfer::NumValueSlots; ++K)
        C.Slots[K] = O.Slots[K].K == SlotRef::IsConst ? O.Slots[K]
                                                       : InRecord(O.Slots[K]);
      for (const MovedRef &M : O.Moved)
        if (SlotRef W = InRecord(M.Where); W.K == SlotRef::InField)
          C.Moved.push_back({W, M.Slot, M.Dir, M.Site});
      for (const ConstRef &K : O.Constants)
        if (SlotRef W = InRecord(K.Where); W.K == SlotRef::InField)
          C.Constants.push_back({W, K.C, K.AtLeast});
      bool Known = llvm::any_of(All, [&](const auto &S) {
        return S->Record == T->Record && S->Case.sameOutcome(C);
      });
      if (!Known)
        All.push_back(std::move(T));
    }
  }
  if (All.size() > MaxStored) {
    // Too many ways: one per transfer (record, map register and MDL
    // fields), with what all its ways agree on.
    std::vector<std::unique_ptr<StoredTransfer>> Merged;
    for (auto &T : All) {
      auto Same = llvm::find_if(Merged, [&](const auto &S) {
        return S->Record == T->Record &&
               S->field(Transfer::BaseSlot) == T->field(Transfer::BaseSlot) &&
               S->field(Transfer::MdlSlot) == T->field(Transfer::MdlSlot);
      });
      if (Same == Merged.end())
        Merged.push_back(std::move(T));
      else
        keepCommon((*Same)->Case, T->Case);
    }
    All = std::move(Merged);
  }
  Stored = std::move(All);
}

/// The first access to the device extension in a routine that starts with a
/// stored transfer open: that object holds it.
void FunctionWalker::maybeSeed(PathState &S, const RecordDecl *RD,
                               ValueId Base, const Expr *At) {
  const StoredTransfer &R = *Seeds[S.PendingSeed - 1];
  if (RD != R.Record)
    return;
  S.PendingSeed = 0;
  // Written through since entry (an unknown call was given it): what the
  // fields hold now is not what the producer left.
  if (S.Epochs.contains(Base))
    return;
  for (const auto &[Loc, V] : S.Env)
    if (Loc.What == Location::Field && Loc.Base == Base)
      return;
  const ExitCase &O = R.Case;
  Transfer T;
  T.MapCall = O.MapCall;
  T.MapFn = O.MapFn;
  T.Producer = R.Producer;
  T.SeededAt = At;
  T.Several = O.Several;
  T.Clamp = O.Clamp;
  T.ClampBranch = O.ClampBranch;
  for (unsigned K = 0; K < Transfer::NumValueSlots; ++K) {
    if (const FieldDecl *F = R.field(K))
      T.slot(K) = Values.initialField(Base, F, NoValue);
    else if (O.Slots[K].K == SlotRef::IsConst)
      T.slot(K) = Values.constant(O.Slots[K].C);
  }
  for (const MovedRef &M : O.Moved) {
    if (!M.Site)
      continue;
    // Moved on from a value the producer kept in no field: a value of its
    // own here, that the field is still provably moved on from.
    ValueId &From = T.slot(M.Slot);
    if (From == NoValue)
      From = Values.fresh(M.Site, Values.fresh(At, Values.constant(M.Slot)));
    write(S, Location{Location::Field, M.Where.Field, Base},
          Values.advance(M.Site, From, Values.fresh(M.Where.Field, Base),
                         M.Dir));
  }
  for (const ConstRef &C : O.Constants) {
    Location L{Location::Field, C.Where.Field, Base};
    if (!C.AtLeast)
      write(S, L, Values.constant(C.C));
    else
      assume(S, ConditionAtom{read(S, L), true, C.C}, false);
  }
  // MapTransfer was given this MDL: on this path it is not NULL.
  if (T.Mdl != NoValue)
    assume(S, ConditionAtom{T.Mdl, false, 0}, false);
  S.Transfers.push_back(T);
  pinFacts(S);
}
