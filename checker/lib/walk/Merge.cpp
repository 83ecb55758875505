// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Where paths meet: a state arriving at a block joins the block's state of
// the same DMA state (values joined per location, facts kept where both
// agree), or is kept apart beside it up to the per-block bound; the states
// that reach the exit are merged likewise and summarised.
#include "walk/Walker.h"
#include "clang/Basic/SourceManager.h"

#include "Engine.h"
#include "driver/DriverModel.h"

using namespace clang;
using namespace dmacheck;

bool FunctionWalker::joinInto(uint64_t Block, PathState &Into,
                              const PathState &From) {
  return joinInto(Block, Into, From, envDifferences(Into, From));
}

bool FunctionWalker::joinInto(uint64_t Block, PathState &Into,
                              const PathState &From,
                              const EnvDifferences &D) {
  bool Changed = false;
  // Only what differs is visited: the two maps share the rest (the same
  // tree nodes), and a location both hold with one value joins to it.
  // Epochs first: they decide what unwritten fields read as.
  EpochMap Epochs = Into.Epochs;
  ValueWork += forEachDifference(
      Into.Epochs, From.Epochs,
      [&](ValueId Base, const ValueId *Mine, const ValueId *Theirs) {
        ValueId M = Mine ? *Mine : NoValue;
        // Keyed like a location's join: by block and pointer, the same
        // for every state (not by where the state happens to live).
        static const char EpochJoin = 0;
        ValueId J = Values.join(Block, &EpochJoin, Base, M,
                                Theirs ? *Theirs : NoValue);
        if (J != M) {
          Epochs = EpochF.add(Epochs, Base, J);
          Changed = true;
        }
      });

  EnvMap Env = Into.Env;
  for (const EnvDifference &E : D) {
    const Location &L = E.L;
    ValueId M = E.InA ? *E.InA : initialValue(Into, L);
    ValueId J = Values.join(
        Block, L.Decl, (uint64_t(L.Base) << 2) | uint64_t(L.What), M,
        E.InB ? *E.InB : initialValue(From, L));
    // A location only the arriving path wrote is written here too.
    if (J != M || !E.InA) {
      Env = EnvF.add(Env, L, J);
      Changed = true;
    }
  }
  Into.Env = Env;
  Into.Epochs = Epochs;

  for (size_t I = 0; I < Into.Transfers.size(); ++I)
    for (unsigned Slot = 0; Slot < Transfer::NumValueSlots; ++Slot) {
      ValueId &Mine = Into.Transfers[I].slot(Slot);
      ValueId Theirs =
          From.Transfers[I].slot(Slot);
      ValueId J = Values.join(Block, Into.Transfers[I].MapCall,
                              (uint64_t(I) << 8) | Slot, Mine, Theirs);
      if (J != Mine) {
        Mine = J;
        Changed = true;
      }
    }
  for (size_t I = 0; I < Into.Transfers.size(); ++I)
    if (From.Transfers[I].Several && !Into.Transfers[I].Several) {
      Into.Transfers[I].Several = true; // mapped once or several times
      Changed = true;
    }
  for (size_t I = 0; I < Into.Transfers.size(); ++I)
    if (From.Transfers[I].BaseKept && !Into.Transfers[I].BaseKept) {
      Into.Transfers[I].BaseKept = true; // kept on some path: silent
      Changed = true;
    }

  // The notes explain one path: keep the decisions both paths made, so a
  // later decision never contradicts an earlier note.
  Into.Trail.keepCommon(From.Trail);

  // Only what both paths know stays known.
  // The two usually share their first facts (the path before they split):
  // only the rest is looked up.
  size_t Shared = 0;
  while (Shared < Into.Facts.size() && Shared < From.Facts.size() &&
         Into.Facts[Shared] == From.Facts[Shared])
    ++Shared;
  if (Shared < Into.Facts.size()) {
    size_t Before = Into.Facts.size();
    Into.Facts.erase(
        std::remove_if(Into.Facts.begin() + Shared, Into.Facts.end(),
                       [&](const BranchFact &F) {
                         return llvm::find(From.Facts, F) == From.Facts.end();
                       }),
        Into.Facts.end());
    Changed |= Into.Facts.size() != Before;
  }
  return Changed;
}

void FunctionWalker::computeMoved(PathState &S) {
  if (S.Transfers.empty()) {
    S.Moved.clear();
    S.MovedEnv = EnvMap(nullptr);
    S.MovedSlots.clear();
    return;
  }
  // The cheap question first: nothing changed since the last time.
  bool SameSlots = S.MovedSlots.size() == 3 * S.Transfers.size();
  for (size_t I = 0; SameSlots && I < S.Transfers.size(); ++I)
    SameSlots = S.MovedSlots[3 * I] == S.Transfers[I].CurrentVa &&
                S.MovedSlots[3 * I + 1] == S.Transfers[I].Requested &&
                S.MovedSlots[3 * I + 2] == S.Transfers[I].Mapped;
  if (SameSlots &&
      S.MovedEnv.getRootWithoutRetain() == S.Env.getRootWithoutRetain())
    return;
  // The locations of L that hold a value moved on from a transfer's
  // CurrentVa (slot 3), Requested (4) or Mapped (5): the first such slot
  // per transfer.
  auto Add = [&](const Location &L, ValueId V,
                 llvm::SmallVectorImpl<PathState::MovedLocation> &Out) {
    ++ValueWork;
    if (L.What == Location::Deref)
      return;
    for (unsigned I = 0; I < S.Transfers.size(); ++I)
      for (unsigned Slot : {3u, 4u, 5u}) {
        ValueId From = S.Transfers[I].slot(Slot);
        if (From != NoValue && Values.isAdvancedFrom(V, From, 0)) {
          Out.push_back({I, Slot, L});
          break;
        }
      }
  };
  if (SameSlots) {
    // The same transfer values as when last computed: only the locations
    // written since can have changed (the maps share the rest).
    llvm::SmallVector<Location, 8> Changed;
    llvm::SmallVector<PathState::MovedLocation, 4> Fresh;
    ValueWork += forEachDifference(
        S.MovedEnv, S.Env,
        [&](const Location &L, const ValueId *, const ValueId *Now) {
          Changed.push_back(L);
          if (Now)
            Add(L, *Now, Fresh);
        });
    llvm::erase_if(S.Moved, [&](const PathState::MovedLocation &M) {
      return llvm::is_contained(Changed, M.Where);
    });
    if (!Fresh.empty()) {
      S.Moved.append(Fresh.begin(), Fresh.end());
      // The order of a full computation: by location, then transfer.
      std::stable_sort(S.Moved.begin(), S.Moved.end(),
                       [](const PathState::MovedLocation &A,
                          const PathState::MovedLocation &B) {
                         if (A.Where == B.Where)
                           return A.TransferIndex < B.TransferIndex;
                         return A.Where < B.Where;
                       });
    }
    S.MovedEnv = S.Env;
    return;
  }
  S.MovedEnv = S.Env;
  S.MovedSlots.clear();
  for (const Transfer &T : S.Transfers)
    S.MovedSlots.append({T.CurrentVa, T.Requested, T.Mapped});
  S.Moved.clear();
  for (const auto &[L, V] : S.Env)
    Add(L, V, S.Moved);
}

void FunctionWalker::propagate(const CFGBlock *To, PathState &&S) {
  if (To == &Graph->getExit()) {
    atExit(std::move(S));
    return;
  }
  S.Evaluated.clear();
  if (Stopped)
    return;
  ++ValueWork;
  if (ValueWork > Opts.Limits.MaxValueWork) {
    giveUp("more than " + std::to_string(Opts.Limits.MaxValueWork) +
           " location values compared between paths");
    Worklist.clear();
    Stopped = true;
    return;
  }
  BlockStates &BS = Blocks[To->getBlockID()];
  // Clamps keep paths apart only while half the room is free.
  if (!S.Splits.empty() &&
      2 * (BS.States.size() + 1) >= Opts.Limits.MaxStatesPerBlock)
    S.Splits.clear();
  // Entering a block that maps, flushes or releases, paths that assumed
  // different things stay apart (while there is room): the event pins what
  // they assumed (PathState::Pinned), which later decides correlated tests.
  bool KeepFactsApart = EventBlocks[To->getBlockID()] &&
                        BS.States.size() + 1 < Opts.Limits.MaxStatesPerBlock;
  auto SameFacts = [&](const PathState &A, const PathState &B) {
    auto Covered = [&](const PathState &X, const PathState &Y) {
      for (const BranchFact &F : X.Facts)
        if (correlates(F) && llvm::find(Y.Facts, F) == Y.Facts.end())
          return false;
      return true;
    };
    return Covered(A, B) && Covered(B, A);
  };
  // With a transfer open, a path that set a flag in a value (`cmd |=
  // OPTION`) stays apart from one that did not (while half the room is
  // free): a later `Table[cmd & MASK]` that masks the flag off is then the
  // same element as before it, on both.
  bool KeepFlagsApart = !S.Transfers.empty() &&
                        2 * (BS.States.size() + 1) < Opts.Limits.MaxStatesPerBlock;
  // The moved locations are part of the DMA state: brought up to date
  // only when there is a state to compare with (PathState::Moved stays
  // consistent with the environment it was computed from until then).
  if (!BS.States.empty())
    computeMoved(S);
  for (size_t I = 0; I < BS.States.size(); ++I) {
    computeMoved(BS.States[I]);
    if (!BS.States[I].sameDmaState(S))
      continue;
    if (KeepFactsApart && !SameFacts(BS.States[I], S))
      continue;
    EnvDifferences D = envDifferences(BS.States[I], S);
    if (KeepFlagsApart && flagSetApart(BS.States[I], S, D))
      continue;
    if (joinInto(To->getBlockID(), BS.States[I], S, D)) {
      BS.Dirty[I] = true;
      Worklist.insert({Order[To->getBlockID()], To->getBlockID()});
    }
    return;
  }
  if (BS.States.size() >= Opts.Limits.MaxStatesPerBlock) {
    giveUp("more than " + std::to_string(Opts.Limits.MaxStatesPerBlock) +
           " distinct DMA states at one point");
    return;
  }
  BS.States.push_back(std::move(S));
  BS.Dirty.push_back(true);
  Worklist.insert({Order[To->getBlockID()], To->getBlockID()});
}

void FunctionWalker::atExit(PathState S) {
  for (const Transfer &T : S.Transfers)
    if (T.released())
      reportMissingFlush(Checks, S, T);
    else if (IsAdapterControl)
      reportLostMapping(Checks, S, T, Current);
  if (!Exit)
    return;
  // Summarised once the walk is done, from the states the returns converge
  // to (an early, less general visit of a return is merged into them).
  S.Evaluated.clear();
  computeMoved(S);
  for (PathState &E : ExitStates)
    if (computeMoved(E), E.sameDmaState(S)) {
      joinInto(Graph->getExit().getBlockID(), E, S);
      return;
    }
  if (ExitStates.size() >= Opts.Limits.MaxStatesPerBlock) {
    Exit->Exact = false; // too many ways to return to describe
    return;
  }
  ExitStates.push_back(std::move(S));
}
