// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What one function does, for the functions around it: the data of the
// summaries room. A helper's effects (it flushes, releases or completes with
// its parameters), how a function returns (one ExitCase per outcome: the
// transfer it leaves open and where its values are, in terms of the
// function's parameters), a transfer stored in the device extension for the
// DPC, and the fields a routine may write. Built by HelperSummary.cpp,
// ExitSummary.cpp and driver/StoredTransfers.cpp; applied at call sites by
// CallSites.cpp.
#ifndef DMACHECK_SUMMARIES_SUMMARIES_H
#define DMACHECK_SUMMARIES_SUMMARIES_H

#include "dmacheck/Events.h"
#include "model/Calls.h"
#include "walk/PathState.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLExtras.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dmacheck {

/// An argument of a helper's DMA call, in terms of the helper's parameters:
/// parameter Index itself (ThisParam: `this`), or its field Field
/// (`ext->DmaAdapter`, `m_Adapter`).
struct ParamRef {
  int Index = -1;
  const clang::FieldDecl *Field = nullptr;
};

/// A DMA call a same-file helper makes on every path through it.
struct HelperEffect {
  EventKind Kind;
  ParamRef Adapter, Mdl, MapRegisterBase, CurrentVa, Length, WriteToDevice,
      Irp;
  const clang::CallExpr *Inside; // the call in the helper, for the note
};

/// What a call to a same-file helper does to transfers, when that is exact:
/// it flushes, releases or completes on every path, with arguments that are
/// its parameters or their fields, and does nothing else DMA-related.
struct HelperSummary {
  std::vector<HelperEffect> Effects;
  EventRule Rule; // names the helper in messages
};

/// Where a value is when a function returns, in terms of its parameters:
/// parameter Index itself, or field Field of the object it points to (of
/// the object its field Via points to: `DeviceObject->DeviceExtension->F`),
/// or a constant. Index is ThisParam for `this` (a member `m_F` is InField).
struct SlotRef {
  enum Kind : uint8_t { Nowhere, InParam, InField, IsConst };
  Kind K = Nowhere;
  int Index = -1;
  const clang::FieldDecl *Via = nullptr;
  const clang::FieldDecl *Field = nullptr;
  int64_t C = 0;
  bool operator==(const SlotRef &O) const {
    return K == O.K && Index == O.Index && Via == O.Via && Field == O.Field &&
           C == O.C;
  }
};

/// A location that holds one of the transfer's values moved on (the cursor
/// advanced past the operation, the counter run down), first at Site.
struct MovedRef {
  SlotRef Where;
  unsigned Slot;
  int Dir;
  const clang::Stmt *Site;
  bool operator==(const MovedRef &O) const {
    return Where == O.Where && Slot == O.Slot && Dir == O.Dir;
  }
};

struct ConstRef {
  SlotRef Where;
  int64_t C;
  /// Not the constant, but a count at least C: a counter the function ran
  /// up from 0 (`ext->SegCount = n` after `n++` in the map loop), so a
  /// later loop over it runs at least once.
  bool AtLeast = false;
  bool operator==(const ConstRef &O) const {
    return Where == O.Where && C == O.C && AtLeast == O.AtLeast;
  }
};

/// A comparison with a constant that a path assumed about what its function
/// was given (a parameter, or a field of the object one points to, as they
/// were on entry).
struct EntryFact {
  SlotRef Where;
  bool IsLess = false;
  int64_t C = 0;
  bool Holds = true;
  bool operator==(const EntryFact &O) const {
    return Where == O.Where && IsLess == O.IsLess && C == O.C &&
           Holds == O.Holds;
  }
};

/// One kind of return of a function: the transfer it leaves open, if any,
/// where each of its values is then, what else it left in the same object,
/// what the paths that return this way assumed about the function's
/// arguments, and the constant they return.
struct ExitCase {
  bool Open = false;
  const clang::CallExpr *MapCall = nullptr;
  const clang::FunctionDecl *MapFn = nullptr;
  bool Several = false;
  SlotRef Slots[Transfer::NumValueSlots];
  std::vector<MovedRef> Moved;
  std::vector<ConstRef> Constants;
  std::vector<EntryFact> Entry;
  std::optional<int64_t> Returned;
  const clang::Expr *Clamp = nullptr; // for the notes (Transfer::Clamp)
  bool ClampBranch = false;

  /// The same return, up to what its paths assumed.
  bool sameOutcome(const ExitCase &O) const {
    if (Open != O.Open || MapCall != O.MapCall || Several != O.Several ||
        Returned != O.Returned || Moved.size() != O.Moved.size() ||
        Constants.size() != O.Constants.size())
      return false;
    for (unsigned K = 0; K < Transfer::NumValueSlots; ++K)
      if (!(Slots[K] == O.Slots[K]))
        return false;
    for (const MovedRef &M : Moved)
      if (llvm::find(O.Moved, M) == O.Moved.end())
        return false;
    for (const ConstRef &C : Constants)
      if (llvm::find(O.Constants, C) == O.Constants.end())
        return false;
    return true;
  }
};

/// How a function returns: one case per distinct outcome (at most
/// MaxExitCases; beyond that, cases of one outcome kind are merged to what
/// they agree on), each true on the paths it describes. A caller continues
/// in one state per case its arguments do not rule out.
struct ExitSummary {
  static constexpr size_t MaxExitCases = 8;
  bool Exact = true;
  std::vector<ExitCase> Cases;
  bool opens() const {
    return llvm::any_of(Cases, [](const ExitCase &C) { return C.Open; });
  }
};

/// A transfer stored in the device extension when a routine returned to the
/// system: which field holds each of its values, which fields hold them moved
/// on, and which fields held constants. Another routine that reads those
/// fields (the DPC) starts with it open.
struct StoredTransfer {
  const clang::RecordDecl *Record = nullptr;
  /// The routine that left it (the first, when several left the same).
  const clang::FunctionDecl *Producer = nullptr;
  /// The transfer as it was left: its slots, moved fields and constants
  /// (the guards) are fields of Record (SlotRef::InField, no parameter).
  ExitCase Case;
  const clang::FieldDecl *field(unsigned Slot) const {
    const SlotRef &R = Case.Slots[Slot];
    return R.K == SlotRef::InField ? R.Field : nullptr;
  }
};

/// The fields a function may write through the pointers it is given
/// (directly, through its callees, or through the callbacks it hands to the
/// system with those pointers as context).
struct FieldWrites {
  bool All = false;
  std::set<std::string> Fields; // fieldKey()
};

/// Keeps in Have what it and O agree on (their slots, moved and constant
/// locations, assumptions); used when there are more cases than kept.
void keepCommon(ExitCase &Have, const ExitCase &O);
/// Adds C to E, merging it with a case of the same outcome.
void addExitCase(ExitSummary &E, ExitCase C);

} // namespace dmacheck

#endif
