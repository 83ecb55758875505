// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// How a function returns, for its callers and for the DPC: one exit case per
// outcome, each saying in terms of the function's parameters where the open
// transfer's values are, what was moved on, which constants were stored and
// what the paths assumed; cases beyond the bound are merged to what they
// agree on.
#include "walk/Walker.h"
#include "clang/Basic/SourceManager.h"

#include "Engine.h"
#include "driver/DriverModel.h"
#include "model/Calls.h"

using namespace clang;
using namespace dmacheck;

/// The parameter-relative description of a pointer value at exit.
SlotRef FunctionWalker::baseRefOf(ValueId Base) const {
  SlotRef R;
  for (int I : parameterIndexes(Current)) {
    ValueId P = Values.findInitialLocal(parameterDecl(Current, I));
    if (P == NoValue)
      continue;
    if (Base == P) {
      R.K = SlotRef::InField;
      R.Index = I;
      return R;
    }
    const ValueInfo &Info = Values.info(Base);
    if (Info.Kind == ValueKind::Initial && Info.Field && Info.Operand == P &&
        Values.findInitialField(P, Info.Field, NoValue) == Base) {
      R.K = SlotRef::InField;
      R.Index = I;
      R.Via = Info.Field;
      return R;
    }
  }
  return R;
}

/// Where value V is at the end of path S, if it is somewhere a caller or a
/// later routine can find it.
SlotRef FunctionWalker::slotRefOf(const PathState &S, ValueId V) const {
  SlotRef R;
  if (V == NoValue)
    return R;
  int64_t C;
  if (Values.isConstant(V, C)) {
    R.K = SlotRef::IsConst;
    R.C = C;
    return R;
  }
  for (const auto &[Loc, Val] : S.Env) {
    if (Val != V || Loc.What != Location::Field)
      continue;
    SlotRef B = baseRefOf(Loc.Base);
    if (B.K == SlotRef::InField) {
      B.Field = static_cast<const FieldDecl *>(Loc.Decl);
      return B;
    }
  }
  const ValueInfo &I = Values.info(V);
  if (I.Kind == ValueKind::Initial && I.Field) {
    Location L{Location::Field, I.Field, I.Operand};
    const ValueId *Now = S.Env.lookup(L);
    bool Still = Now ? *Now == V
                     : Values.findInitialField(I.Operand, I.Field,
                                               epochOf(S, I.Operand)) == V;
    SlotRef B = baseRefOf(I.Operand);
    if (Still && B.K == SlotRef::InField) {
      B.Field = I.Field;
      return B;
    }
  }
  if (SlotRef P = entryRefOf(V); P.K == SlotRef::InParam) {
    // `this` cannot be assigned; a parameter can.
    const ValueId *Now =
        P.Index == ThisParam
            ? nullptr
            : S.Env.lookup(Location{Location::Variable,
                                    parameterDecl(Current, P.Index), NoValue});
    if (!Now || *Now == V)
      return P;
  }
  return R;
}

/// Where value V came from, if it is what the function was given: a
/// parameter's value on entry, or a field of the object a parameter points
/// to as it was on entry (before anything wrote through the pointer).
SlotRef FunctionWalker::entryRefOf(ValueId V) const {
  SlotRef R;
  const ValueInfo &I = Values.info(V);
  if (V == NoValue || I.Kind != ValueKind::Initial)
    return R;
  if (I.Decl) {
    for (int P : parameterIndexes(Current))
      if (I.Decl == parameterDecl(Current, P)) {
        R.K = SlotRef::InParam;
        R.Index = P;
        break;
      }
    return R;
  }
  if (I.Field && Values.findInitialField(I.Operand, I.Field, NoValue) == V) {
    R = baseRefOf(I.Operand);
    if (R.K == SlotRef::InField)
      R.Field = I.Field;
  }
  return R;
}


/// What two cases' paths both assumed, and the clamp both went through.
static void keepCommonAssumptions(ExitCase &Have, const ExitCase &O) {
  llvm::erase_if(Have.Entry, [&](const EntryFact &F) {
    return llvm::find(O.Entry, F) == O.Entry.end();
  });
  if (Have.Clamp != O.Clamp || Have.ClampBranch != O.ClampBranch)
    Have.Clamp = nullptr;
}

/// What two cases of one outcome kind both say.
void dmacheck::keepCommon(ExitCase &Have, const ExitCase &O) {
  Have.Several |= O.Several;
  for (unsigned K = 0; K < Transfer::NumValueSlots; ++K)
    if (!(Have.Slots[K] == O.Slots[K]))
      Have.Slots[K] = SlotRef();
  llvm::erase_if(Have.Moved, [&](const MovedRef &M) {
    return llvm::find(O.Moved, M) == O.Moved.end();
  });
  llvm::erase_if(Have.Constants, [&](const ConstRef &C) {
    return llvm::find(O.Constants, C) == O.Constants.end();
  });
  if (Have.Returned != O.Returned)
    Have.Returned.reset();
  keepCommonAssumptions(Have, O);
}

/// Adds one return to a summary: a new case while there is room, else
/// merged with the cases of the same kind.
void dmacheck::addExitCase(ExitSummary &E, ExitCase C) {
  if (C.Open)
    for (const ExitCase &H : E.Cases)
      if (H.Open && H.MapCall != C.MapCall) {
        E.Exact = false; // different transfers on different returns
        return;
      }
  for (ExitCase &H : E.Cases)
    if (H.sameOutcome(C)) {
      // Returned the same way under other assumptions: only what both
      // assumed restricts it.
      keepCommonAssumptions(H, C);
      return;
    }
  E.Cases.push_back(std::move(C));
  if (E.Cases.size() <= ExitSummary::MaxExitCases)
    return;
  std::vector<ExitCase> Merged;
  for (ExitCase &H : E.Cases) {
    auto It = llvm::find_if(
        Merged, [&](const ExitCase &M) { return M.Open == H.Open; });
    if (It == Merged.end())
      Merged.push_back(std::move(H));
    else
      keepCommon(*It, H);
  }
  E.Cases = std::move(Merged);
}

/// The location that holds what the function returns (its own declaration,
/// so that paths returning different values are joined like a variable).
Location FunctionWalker::returnLocation() const {
  return Location{Location::Variable, static_cast<const ValueDecl *>(Current),
                  NoValue};
}

/// How this return leaves things, added to the function's exit summary.
void FunctionWalker::summarizeExit(const PathState &S) {
  if (!Exit || !Exit->Exact)
    return;
  const Transfer *Open = nullptr;
  for (const Transfer &T : S.Transfers) {
    if (T.released() || Open) {
      Exit->Exact = false; // released unflushed, or several: not summarised
      return;
    }
    Open = &T;
  }
  ExitCase O;
  if (Open) {
    O.Open = true;
    O.MapCall = Open->MapCall;
    O.MapFn = Open->MapFn ? Open->MapFn : Current;
    O.Several = Open->Several;
    O.Clamp = Open->Clamp;
    O.ClampBranch = Open->ClampBranch;
    for (unsigned K = 0; K < Transfer::NumValueSlots; ++K)
      O.Slots[K] = slotRefOf(S, Open->slot(K));
  }
  for (const auto &[Loc, Val] : S.Env) {
    if (Loc.What != Location::Field)
      continue;
    SlotRef Where = baseRefOf(Loc.Base);
    if (Where.K != SlotRef::InField)
      continue;
    Where.Field = static_cast<const FieldDecl *>(Loc.Decl);
    int64_t C;
    if (Values.isConstant(Val, C)) {
      O.Constants.push_back({Where, C});
      continue;
    }
    if (!Open)
      continue;
    // A count run up from 0 on every way here: taken as at least 1. (A step
    // of `+= len` with len 0 would make that wrong; the fact only ever rules
    // out a zero-iteration path, so it can silence a finding, never make
    // one: checks take "not 0" from constants and tests only.)
    if (Values.isAdvancedFrom(Val, Values.constant(0), 1)) {
      O.Constants.push_back({Where, 1, /*AtLeast=*/true});
      continue;
    }
    for (unsigned K : {unsigned(Transfer::VaSlot),
                       unsigned(Transfer::RequestedSlot),
                       unsigned(Transfer::MappedSlot)}) {
      const Stmt *Site = nullptr;
      int Dir = 0;
      if (Values.isAdvancedFrom(Val, Open->slot(K), +1, &Site))
        Dir = +1;
      else if (Values.isAdvancedFrom(Val, Open->slot(K), -1, &Site))
        Dir = -1;
      if (Dir && Site) {
        O.Moved.push_back({Where, K, Dir, Site});
        break;
      }
    }
  }
  for (const BranchFact &F : S.Facts) {
    SlotRef Where = entryRefOf(F.Atom.V);
    if (Where.K != SlotRef::Nowhere)
      O.Entry.push_back({Where, F.Atom.IsLess, F.Atom.C, F.Holds});
  }
  if (const ValueId *Ret = S.Env.lookup(returnLocation())) {
    int64_t C;
    if (Values.isConstant(*Ret, C))
      O.Returned = C;
  }
  addExitCase(*Exit, std::move(O));
}
