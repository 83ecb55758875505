// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The state of one path (or of several paths merged because their DMA state
// is equal): the transfers it has mapped, the values of the locations it
// touched, the branch facts it assumed, and the decisions that explain it.
#ifndef DMACHECK_PATHSTATE_H
#define DMACHECK_PATHSTATE_H

#include "dmacheck/ApiModel.h"
#include "dmacheck/Values.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/ImmutableMap.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace dmacheck {

/// One DMA operation: mapped by one or more MapTransfer calls, owed one flush.
struct Transfer {
  const clang::CallExpr *MapCall = nullptr; // the operation's first map
  bool Several = false;                     // mapped by more than one call
  /// Reached a completion or release before any flush; the flush is owed
  /// and now late. ReleaseCall is the first such call on the path.
  const clang::CallExpr *ReleaseCall = nullptr;
  EventKind ReleaseKind = EventKind::CompleteRequest;

  // The values the first map was given (joined like locations at merges).
  ValueId Adapter = NoValue, Mdl = NoValue, MapRegisterBase = NoValue,
          CurrentVa = NoValue, Requested = NoValue, Mapped = NoValue,
          WriteToDevice = NoValue, Irp = NoValue;

  /// Mapped in another function: a helper the caller called (its map
  /// summary), or the routine that stored the transfer in the device
  /// extension before this one ran (AdapterControl -> DPC).
  const clang::FunctionDecl *MapFn = nullptr;
  /// Stored: the routine that left it mapped, and the first access here to
  /// the device extension that holds it.
  const clang::FunctionDecl *Producer = nullptr;
  const clang::Expr *SeededAt = nullptr;
  /// A clamp the path went through that decided the length mapped (the
  /// comparison and the branch taken), for the notes.
  const clang::Expr *Clamp = nullptr;
  bool ClampBranch = false;
  /// Its MapRegisterBase was stored, on this path, somewhere other than a
  /// local (a field, through a pointer, a global): a later routine can find
  /// it there even if a call overwrote that place since.
  bool BaseKept = false;

  static constexpr unsigned NumValueSlots = 8;
  enum SlotIndex : unsigned {
    AdapterSlot, MdlSlot, BaseSlot, VaSlot, RequestedSlot, MappedSlot,
    WriteSlot, IrpSlot
  };
  ValueId &slot(unsigned I) {
    ValueId *S[] = {&Adapter, &Mdl,      &MapRegisterBase, &CurrentVa,
                    &Requested, &Mapped, &WriteToDevice,  &Irp};
    return *S[I];
  }
  ValueId slot(unsigned I) const {
    return const_cast<Transfer *>(this)->slot(I);
  }
  bool released() const { return ReleaseCall != nullptr; }
  /// Whether it was mapped by one call or several is not part of the DMA
  /// state: the paths out of a map loop (once, several times) merge, with
  /// Several set. No check can tell them apart: a flush with the last
  /// piece's mapped length, accepted after a single map, is not reported
  /// after several either (only a length provably run down or too long is).
  bool sameDmaState(const Transfer &O) const {
    return MapCall == O.MapCall && ReleaseCall == O.ReleaseCall;
  }
};

/// A comparison of a value with a constant: V == C or V < C.
struct ConditionAtom {
  ValueId V = NoValue;
  bool IsLess = false;
  int64_t C = 0;
  bool operator==(const ConditionAtom &O) const {
    return V == O.V && IsLess == O.IsLess && C == O.C;
  }
};

struct BranchFact {
  ConditionAtom Atom;
  bool Holds = true;
  bool operator==(const BranchFact &O) const {
    return Atom == O.Atom && Holds == O.Holds;
  }
};

/// A decision on the path, for the notes that explain a finding.
struct PathStep {
  enum Kind : uint8_t {
    AssumeTrue,
    AssumeFalse,
    Case,
    Default,
    Goto,
    Update,  // an in-place update (shown when a check points at it)
    Release, // a release or completion (likewise)
  };
  Kind What;
  const clang::Stmt *At;
};

/// The decisions of a path, newest first, as a persistent list: a fork
/// shares the trail it came from, and two paths' common beginning is found
/// by walking down to the node they share. The nodes live in the walker's
/// allocator, as long as the states do.
class PathTrail {
public:
  struct Node {
    PathStep Step;
    const Node *Prev;
    unsigned Length;
  };
  /// The notes show at most this many of the newest decisions.
  static constexpr unsigned Shown = 24;

  unsigned size() const { return Last ? Last->Length : 0; }
  bool empty() const { return !Last; }
  void clear() { Last = nullptr; }
  template <typename Alloc>
  void push(PathStep::Kind K, const clang::Stmt *At, Alloc &A) {
    Last = new (A.template Allocate<Node>()) Node{{K, At}, Last, size() + 1};
  }
  /// The newest Shown decisions, oldest first.
  llvm::SmallVector<PathStep, Shown> steps() const {
    llvm::SmallVector<PathStep, Shown> Out;
    for (const Node *N = Last; N && Out.size() < Shown; N = N->Prev)
      Out.push_back(N->Step);
    std::reverse(Out.begin(), Out.end());
    return Out;
  }
  /// Keeps the decisions both trails begin with (equal steps at the same
  /// positions); the walk stops where the two share their nodes.
  void keepCommon(const PathTrail &O) {
    const Node *A = Last, *B = O.Last;
    while (A && B && A->Length > B->Length)
      A = A->Prev;
    while (A && B && B->Length > A->Length)
      B = B->Prev;
    if (!A || !B) {
      Last = nullptr;
      return;
    }
    const Node *Keep = A; // the newest node of the common beginning
    for (; A && A != B; A = A->Prev, B = B->Prev)
      if (A->Step.What != B->Step.What || A->Step.At != B->Step.At)
        Keep = A->Prev;
    Last = Keep;
  }

private:
  const Node *Last = nullptr;
};

/// Where a value lives: a local or global variable, a field of the object a
/// pointer value points to, or what a pointer value points to.
struct Location {
  enum Kind : uint8_t { Variable, Field, Deref };
  Kind What = Variable;
  /// Variable: the ValueDecl (a variable; the function itself for the
  /// value it returns); Field: the FieldDecl.
  const void *Decl = nullptr;
  ValueId Base = NoValue;     // Field / Deref: the pointer value
  bool operator<(const Location &O) const {
    return std::tie(What, Decl, Base) < std::tie(O.What, O.Decl, O.Base);
  }
  bool operator==(const Location &O) const {
    return What == O.What && Decl == O.Decl && Base == O.Base;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(unsigned(What));
    ID.AddPointer(Decl);
    ID.AddInteger(Base);
  }
};

/// The values of locations, and the epochs of pointers: persistent maps
/// (llvm::ImmutableMap, as the Clang Static Analyzer's ProgramState), so a
/// state is copied in O(1) at a split, a write shares all but O(log n) of
/// the map with the state it came from, and equal maps are found by identity
/// first. The walker owns the factories that make new versions.
using EnvMap = llvm::ImmutableMap<Location, ValueId>;
using EpochMap = llvm::ImmutableMap<ValueId, ValueId>;

/// Calls F(Key, A's value or null, B's value or null) for each key whose
/// value differs between A and B, in key order, without visiting what the
/// two maps share: each map is walked in order as a stack of pending items
/// (a whole subtree not yet opened, or one entry); when both next items are
/// the same subtree (the same node: persistent maps share them) it is
/// skipped whole, otherwise the taller subtree is opened. The cost is the
/// size of the difference times the depth, not the size of the maps.
/// Returns the number of items visited.
template <typename MapT, typename Fn>
size_t forEachDifference(const MapT &A, const MapT &B, Fn F) {
  using TreeTy = typename MapT::TreeTy;
  TreeTy *RA = A.getRootWithoutRetain(), *RB = B.getRootWithoutRetain();
  if (RA == RB)
    return 0;
  // An item: a subtree still closed (Entry false) or its root's entry alone.
  struct Item {
    TreeTy *T;
    bool Entry;
  };
  llvm::SmallVector<Item, 32> SA, SB;
  if (RA)
    SA.push_back({RA, false});
  if (RB)
    SB.push_back({RB, false});
  auto Open = [](llvm::SmallVectorImpl<Item> &S) {
    TreeTy *T = S.back().T;
    S.pop_back();
    if (TreeTy *R = T->getRight())
      S.push_back({R, false});
    S.push_back({T, true});
    if (TreeTy *L = T->getLeft())
      S.push_back({L, false});
  };
  size_t Visited = 0;
  while (!SA.empty() && !SB.empty()) {
    ++Visited;
    Item &X = SA.back(), &Y = SB.back();
    if (!X.Entry && !Y.Entry) {
      if (X.T == Y.T) {
        SA.pop_back();
        SB.pop_back();
      } else if (X.T->getHeight() >= Y.T->getHeight()) {
        Open(SA);
      } else {
        Open(SB);
      }
      continue;
    }
    if (!X.Entry) {
      Open(SA);
      continue;
    }
    if (!Y.Entry) {
      Open(SB);
      continue;
    }
    const auto &VA = X.T->getValue();
    const auto &VB = Y.T->getValue();
    if (VA.first < VB.first) {
      F(VA.first, &VA.second, nullptr);
      SA.pop_back();
    } else if (VB.first < VA.first) {
      F(VB.first, nullptr, &VB.second);
      SB.pop_back();
    } else {
      if (!(VA.second == VB.second))
        F(VA.first, &VA.second, &VB.second);
      SA.pop_back();
      SB.pop_back();
    }
  }
  // What is left on one side only: every entry of it.
  for (auto *Rest : {&SA, &SB}) {
    bool IsA = Rest == &SA;
    while (!Rest->empty()) {
      ++Visited;
      if (!Rest->back().Entry) {
        Open(*Rest);
        continue;
      }
      const auto &V = Rest->back().T->getValue();
      if (IsA)
        F(V.first, &V.second, nullptr);
      else
        F(V.first, nullptr, &V.second);
      Rest->pop_back();
    }
  }
  return Visited;
}

struct PathState {
  llvm::SmallVector<Transfer, 2> Transfers;
  EnvMap Env = EnvMap(nullptr);
  /// Per pointer value: which generation of the pointee's unwritten fields a
  /// read sees (a call that may write through the pointer starts a new one).
  EpochMap Epochs = EpochMap(nullptr);
  llvm::SmallVector<BranchFact, 4> Facts;
  PathTrail Trail;
  /// Values of calls and assignments evaluated in the current block, for the
  /// expressions that use them (not part of the state's identity).
  llvm::DenseMap<const clang::Expr *, ValueId> Evaluated;

  /// Which locations hold a value moved on from one of an open transfer's
  /// values (the cursor advanced, the counter run down). Part of the DMA
  /// state: a path that advanced the cursor is not merged with one that did
  /// not, so a flush of it stays provable on the path that did.
  struct MovedLocation {
    unsigned TransferIndex;
    unsigned Slot;
    Location Where;
    bool operator==(const MovedLocation &O) const {
      return TransferIndex == O.TransferIndex && Slot == O.Slot &&
             Where == O.Where;
    }
  };
  llvm::SmallVector<MovedLocation, 2> Moved;
  /// What Moved was computed from (not part of the state's identity).
  EnvMap MovedEnv = EnvMap(nullptr);
  llvm::SmallVector<ValueId, 6> MovedSlots;

  /// The branch facts that held when this path last changed its DMA state
  /// (mapped, flushed, released): the conditions its transfers depend on.
  /// Part of the DMA state, so `if (a || b) map; ... if (a || b) flush;`
  /// keeps the path that mapped because of `a` apart from the one that
  /// mapped because of `b`, and the second test is decided on each.
  llvm::SmallVector<BranchFact, 4> Pinned;

  /// A routine that runs after another left a transfer mapped in the device
  /// extension starts in two states: nothing open, or that transfer open
  /// (1 + the index of the stored transfer), created at the first access to
  /// the device extension.
  uint8_t PendingSeed = 0;
  /// Clamps this path went through (`if (len > left) len = left;`, or a
  /// min/max conditional), with the branch it took. Part of the DMA state,
  /// while there is room: a length clamped to the remaining count maps
  /// exactly that count, and merging it with the unclamped path would lose
  /// the relation before the map. At most two per path.
  llvm::SmallVector<std::pair<const clang::Stmt *, bool>, 2> Splits;
  /// Where the path returned last (for a mapping that is lost at return).
  const clang::Stmt *LastReturn = nullptr;

  bool sameDmaState(const PathState &O) const {
    if (Transfers.size() != O.Transfers.size() || Moved != O.Moved ||
        Pinned != O.Pinned || PendingSeed != O.PendingSeed ||
        Splits != O.Splits)
      return false;
    for (size_t I = 0; I < Transfers.size(); ++I)
      if (!Transfers[I].sameDmaState(O.Transfers[I]))
        return false;
    return true;
  }
};

/// What the path's branch facts say about A: known true, known false, or
/// unknown (walk/Branches.cpp).
std::optional<bool> decideAtom(const PathState &S, const ConditionAtom &A);

} // namespace dmacheck

#endif
