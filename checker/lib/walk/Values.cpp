// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmacheck/Values.h"

#include "clang/AST/OperationKinds.h"

using namespace dmacheck;

ValueId ValueTable::intern(const Key &K, const ValueInfo &I) {
  auto [It, Inserted] = Interned.try_emplace(K, ValueId(Infos.size()));
  if (Inserted) {
    Infos.push_back(I);
    if (Infos.back().Root == NoValue)
      Infos.back().Root = It->second;
  }
  return It->second;
}

ValueId ValueTable::constant(int64_t C) {
  ValueInfo I;
  I.Kind = ValueKind::Const;
  I.Constant = C;
  return intern({uint8_t(ValueKind::Const), nullptr, nullptr, uint64_t(C), 0,
                 0},
                I);
}

ValueId ValueTable::initialLocal(const clang::ValueDecl *D) {
  ValueInfo I;
  I.Kind = ValueKind::Initial;
  I.Decl = D;
  return intern({uint8_t(ValueKind::Initial), D, nullptr, 0, 0, 0}, I);
}

ValueId ValueTable::initialField(ValueId Base, const clang::FieldDecl *F,
                                 ValueId Epoch) {
  ValueInfo I;
  I.Kind = ValueKind::Initial;
  I.Field = F;
  I.Operand = Base;
  I.Operand2 = Epoch;
  return intern({uint8_t(ValueKind::Initial), nullptr, F, Base, Epoch, 0}, I);
}

ValueId ValueTable::findInitialLocal(const clang::ValueDecl *D) const {
  auto It = Interned.find({uint8_t(ValueKind::Initial), D, nullptr, 0, 0, 0});
  return It == Interned.end() ? NoValue : It->second;
}

ValueId ValueTable::findInitialField(ValueId Base, const clang::FieldDecl *F,
                                     ValueId Epoch) const {
  auto It =
      Interned.find({uint8_t(ValueKind::Initial), nullptr, F, Base, Epoch, 0});
  return It == Interned.end() ? NoValue : It->second;
}

ValueId ValueTable::initialDeref(ValueId Pointer, ValueId Epoch) {
  ValueInfo I;
  I.Kind = ValueKind::Initial;
  I.Operand = Pointer;
  return intern({uint8_t(ValueKind::Initial), nullptr, nullptr, Pointer, Epoch,
                 1},
                I);
}

ValueId ValueTable::fresh(const void *Site, ValueId Salt) {
  ValueInfo I;
  I.Kind = ValueKind::Fresh;
  return intern({uint8_t(ValueKind::Fresh), Site, nullptr, Salt, 0, 0}, I);
}

ValueId ValueTable::fresh(const clang::Stmt *Site, ValueId Salt) {
  ValueInfo I;
  I.Kind = ValueKind::Fresh;
  I.Site = Site;
  I.Operand = Salt;
  return intern({uint8_t(ValueKind::Fresh), Site, nullptr, Salt, 0, 0}, I);
}

ValueId ValueTable::logicalNot(ValueId V) {
  const ValueInfo &VI = Infos[V];
  if (VI.Kind == ValueKind::Const)
    return constant(VI.Constant == 0 ? 1 : 0);
  // !!x is x only as a truth value, so it stays a value of its own.
  ValueInfo I;
  I.Kind = ValueKind::Not;
  I.Operand = V;
  return intern({uint8_t(ValueKind::Not), nullptr, nullptr, V, 0, 0}, I);
}

ValueId ValueTable::addressOf(const clang::ValueDecl *D) {
  ValueInfo I;
  I.Kind = ValueKind::AddrOf;
  I.Decl = D;
  return intern({uint8_t(ValueKind::AddrOf), D, nullptr, 0, 0, 0}, I);
}

ValueId ValueTable::fieldAddress(ValueId Base, const clang::FieldDecl *F) {
  ValueInfo I;
  I.Kind = ValueKind::FieldAddr;
  I.Operand = Base;
  I.Field = F;
  return intern({uint8_t(ValueKind::FieldAddr), nullptr, F, Base, 0, 0}, I);
}

ValueId ValueTable::binary(unsigned Opcode, ValueId L, ValueId R) {
  int64_t A, B;
  if (isConstant(L, A) && isConstant(R, B)) {
    using namespace clang;
    // Fold in unsigned arithmetic so overflow is defined.
    uint64_t UA = uint64_t(A), UB = uint64_t(B);
    switch (BinaryOperatorKind(Opcode)) {
    case BO_Add:
      return constant(int64_t(UA + UB));
    case BO_Sub:
      return constant(int64_t(UA - UB));
    case BO_Mul:
      return constant(int64_t(UA * UB));
    case BO_And:
      return constant(A & B);
    case BO_Or:
      return constant(A | B);
    case BO_Xor:
      return constant(A ^ B);
    case BO_EQ:
      return constant(A == B);
    case BO_NE:
      return constant(A != B);
    case BO_LT:
      return constant(A < B);
    case BO_GT:
      return constant(A > B);
    case BO_LE:
      return constant(A <= B);
    case BO_GE:
      return constant(A >= B);
    default:
      break;
    }
  }
  // x + 0, x - 0, x | 0: x (`va + offset` on the first piece, offset 0).
  if ((Opcode == clang::BO_Add || Opcode == clang::BO_Sub ||
       Opcode == clang::BO_Or) &&
      isConstant(R, B) && B == 0)
    return L;
  if ((Opcode == clang::BO_Add || Opcode == clang::BO_Or) &&
      isConstant(L, A) && A == 0)
    return R;
  // (x | c1) & c2 with no bit of c1 in c2 is x & c2: a flag set outside a
  // mask leaves what the mask selects unchanged (`cmd |= OPTION;
  // Table[cmd & MASK]`).
  if (Opcode == clang::BO_And && isConstant(R, B)) {
    const ValueInfo &LI = Infos[L];
    int64_t C1;
    if (LI.Kind == ValueKind::Binary && LI.Opcode == clang::BO_Or) {
      if (isConstant(LI.Operand2, C1) && (C1 & B) == 0)
        return binary(Opcode, LI.Operand, R);
      if (isConstant(LI.Operand, C1) && (C1 & B) == 0)
        return binary(Opcode, LI.Operand2, R);
    }
  }
  ValueInfo I;
  I.Kind = ValueKind::Binary;
  I.Opcode = Opcode;
  I.Operand = L;
  I.Operand2 = R;
  return intern({uint8_t(ValueKind::Binary), nullptr, nullptr, Opcode, L, R},
                I);
}

ValueId ValueTable::advance(const clang::Stmt *Site, ValueId Prev,
                            ValueId Delta, int Dir) {
  int64_t C;
  if (isConstant(Delta, C) && C == 0)
    return Prev;
  if (isConstant(Delta, C) && C < 0) {
    Dir = -Dir;
  }
  const ValueInfo &P = Infos[Prev];
  ValueInfo I;
  I.Kind = ValueKind::Advance;
  I.Dir = int8_t(Dir);
  I.Operand = Prev;
  I.Operand2 = Delta;
  I.Site = Site;
  // A chain keeps its root while it moves one way; turning back starts a new
  // chain from the previous value.
  bool Moved = P.Kind == ValueKind::Advance || P.Kind == ValueKind::Phi;
  I.Root = (Moved && (P.Dir == Dir || P.Dir == 0)) ? P.Root : Prev;
  return intern({uint8_t(ValueKind::Advance), Site, nullptr, Prev, Delta,
                 uint64_t(Dir + 1)},
                I);
}

ValueId ValueTable::join(uint64_t Block, const void *Slot, uint64_t SlotKey,
                         ValueId A, ValueId B) {
  if (A == B)
    return A;
  auto Opaque = [&] {
    ValueInfo I;
    I.Kind = ValueKind::OpaquePhi;
    return intern({uint8_t(ValueKind::OpaquePhi), Slot, nullptr, Block,
                   SlotKey, 0},
                  I);
  };
  const ValueInfo &IA = Infos[A];
  const ValueInfo &IB = Infos[B];
  // Once a join point has given up relating its values it stays given up,
  // which keeps the lattice finite.
  if (IA.Kind == ValueKind::OpaquePhi || IB.Kind == ValueKind::OpaquePhi)
    return Opaque();
  if (IA.Root != IB.Root)
    return Opaque();
  auto DirOf = [](const ValueInfo &I) {
    return (I.Kind == ValueKind::Advance || I.Kind == ValueKind::Phi) ? I.Dir
                                                                      : 0;
  };
  int DA = DirOf(IA), DB = DirOf(IB);
  if (DA != 0 && DB != 0 && DA != DB)
    return Opaque();
  int Dir = DA != 0 ? DA : DB;
  auto StrictlyMoved = [](const ValueInfo &I) {
    return I.Kind == ValueKind::Advance ||
           (I.Kind == ValueKind::Phi && I.Strict);
  };
  ValueInfo I;
  I.Kind = ValueKind::Phi;
  I.Dir = int8_t(Dir);
  I.Root = IA.Root;
  I.Strict = StrictlyMoved(IA) && StrictlyMoved(IB);
  // The first update the join has seen, for notes ("advanced here").
  auto UpdateSite = [](const ValueInfo &X) -> const clang::Stmt * {
    return X.Kind == ValueKind::Advance || X.Kind == ValueKind::Phi ? X.Site
                                                                    : nullptr;
  };
  I.Site = UpdateSite(IA) ? UpdateSite(IA) : UpdateSite(IB);
  return intern({uint8_t(ValueKind::Phi), Slot, nullptr, Block, SlotKey,
                 (uint64_t(IA.Root) << 3) | (uint64_t(I.Strict) << 2) |
                     uint64_t(Dir + 1)},
                I);
}

bool ValueTable::isAdvancedFrom(ValueId V, ValueId From, int Dir,
                                const clang::Stmt **Site) const {
  if (V == From || V == NoValue || From == NoValue)
    return false;
  const clang::Stmt *First = nullptr;
  ValueId Cur = V;
  int ChainDir = 0;
  // Walk back along the in-place updates.
  for (int Steps = 0; Steps < 64; ++Steps) {
    const ValueInfo &I = Infos[Cur];
    if (I.Kind != ValueKind::Advance)
      break;
    if (ChainDir == 0)
      ChainDir = I.Dir;
    else if (I.Dir != ChainDir)
      return false;
    First = I.Site;
    Cur = I.Operand;
    if (Cur == From)
      break;
  }
  if (ChainDir == 0) {
    // No update on this path, but a join of values that were all moved on
    // from From in one direction is moved on from it.
    const ValueInfo &I = Infos[Cur];
    bool Moved = I.Kind == ValueKind::Phi && I.Strict && I.Root == From &&
                 I.Dir != 0 && (Dir == 0 || I.Dir == Dir);
    if (Moved && Site)
      *Site = I.Site;
    return Moved;
  }
  if (Dir != 0 && ChainDir != Dir)
    return false;
  bool Related = Cur == From;
  if (!Related) {
    // A join of "From or From moved the same way", moved once more, is moved.
    const ValueInfo &I = Infos[Cur];
    if (I.Kind == ValueKind::Phi && I.Root == From &&
        (I.Dir == 0 || I.Dir == ChainDir))
      Related = true;
  }
  if (Related && Site)
    *Site = First;
  return Related;
}

bool ValueTable::provablyDifferent(ValueId A, ValueId B) const {
  if (A == B || A == NoValue || B == NoValue)
    return false;
  int64_t CA, CB;
  if (isConstant(A, CA) && isConstant(B, CB))
    return CA != CB;
  if ((Infos[A].Kind == ValueKind::Not && Infos[A].Operand == B) ||
      (Infos[B].Kind == ValueKind::Not && Infos[B].Operand == A))
    return true;
  return isAdvancedFrom(A, B, 0) || isAdvancedFrom(B, A, 0);
}
