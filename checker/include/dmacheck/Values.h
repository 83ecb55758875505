// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Value numbering for one function: every value a path computes gets an id;
// equal ids are equal values on every path that reaches them. Ids are made by
// hash-consing what produced them (a constant, a read of a location not yet
// written, an operator on other ids, an in-place update at a statement, a
// join at a block), so walking the same statement twice yields the same id and
// loops converge.
//
// "Provably different" is deliberately narrow (see docs/design.md): distinct
// constants, a value and its logical negation, and a value and the result of
// an in-place update of it (`va += len`, `remaining -= len`), which is how a
// driver's cursor or counter moves on from the value it mapped.
#ifndef DMACHECK_VALUES_H
#define DMACHECK_VALUES_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"

#include <cstdint>
#include <tuple>
#include <vector>

namespace clang {
class Stmt;
class FieldDecl;
class ValueDecl;
} // namespace clang

namespace dmacheck {

using ValueId = uint32_t;
constexpr ValueId NoValue = 0;

enum class ValueKind : uint8_t {
  Invalid,
  Const,       // Constant
  Initial,     // a location's value before this path wrote it
  Fresh,       // the result of a call or an expression we do not model
  Not,         // !Operand
  AddrOf,      // &Decl
  FieldAddr,   // &Operand->Field
  Binary,      // Operand <Opcode> Operand2
  Advance,     // Operand updated in place by Operand2 at Site, direction Dir
  Phi,         // the join of several values at a block
  OpaquePhi,   // a join whose incoming values have nothing in common
};

struct ValueInfo {
  ValueKind Kind = ValueKind::Invalid;
  int8_t Dir = 0;          // Advance/Phi: +1 or -1 (0: not moved)
  bool Strict = false;     // Phi: every incoming value was moved from Root
  int64_t Constant = 0;    // Const
  ValueId Operand = NoValue;  // Initial of a field: the base; Fresh: the salt
  ValueId Operand2 = NoValue; // Initial of a field: the epoch
  /// Advance/Phi: the value the chain of in-place updates started from.
  /// Every other value is its own root.
  ValueId Root = NoValue;
  const clang::Stmt *Site = nullptr;       // Advance: the update; Fresh: expr
  const clang::ValueDecl *Decl = nullptr;  // Initial of a local, AddrOf
  const clang::FieldDecl *Field = nullptr; // Initial of a field, FieldAddr
  unsigned Opcode = 0;                     // Binary
};

class ValueTable {
public:
  ValueTable() { Infos.emplace_back(); }

  const ValueInfo &info(ValueId V) const { return Infos[V]; }

  ValueId constant(int64_t C);
  ValueId initialLocal(const clang::ValueDecl *D);
  ValueId initialField(ValueId Base, const clang::FieldDecl *F, ValueId Epoch);
  ValueId initialDeref(ValueId Pointer, ValueId Epoch);
  ValueId fresh(const void *Site, ValueId Salt = NoValue);
  /// The same, remembering the expression (a call's result: what it called).
  ValueId fresh(const clang::Stmt *Site, ValueId Salt = NoValue);
  /// The ids initialLocal / initialField would return, if they were ever
  /// made (NoValue if not): look-ups that add nothing.
  ValueId findInitialLocal(const clang::ValueDecl *D) const;
  ValueId findInitialField(ValueId Base, const clang::FieldDecl *F,
                           ValueId Epoch) const;
  ValueId logicalNot(ValueId V);
  ValueId addressOf(const clang::ValueDecl *D);
  ValueId fieldAddress(ValueId Base, const clang::FieldDecl *F);
  ValueId binary(unsigned Opcode, ValueId L, ValueId R);
  /// Prev updated in place by Delta (Dir +1 for +=, ++; -1 for -=, --).
  ValueId advance(const clang::Stmt *Site, ValueId Prev, ValueId Delta,
                  int Dir);
  /// The value at a join of A and B for the location identified by
  /// (JoinPoint, Slot, SlotKey), where JoinPoint is a CFG block's entry (its
  /// id) or another place paths merge; A may be the join's previous result.
  ValueId join(uint64_t JoinPoint, const void *Slot, uint64_t SlotKey,
               ValueId A, ValueId B);

  bool isConstant(ValueId V, int64_t &C) const {
    if (Infos[V].Kind != ValueKind::Const)
      return false;
    C = Infos[V].Constant;
    return true;
  }

  /// V was produced from From by one or more in-place updates in one
  /// direction (Dir 0: either). Sets Site to the first such update.
  bool isAdvancedFrom(ValueId V, ValueId From, int Dir,
                      const clang::Stmt **Site = nullptr) const;

  bool provablyDifferent(ValueId A, ValueId B) const;

  size_t size() const { return Infos.size(); }

private:
  using Key = std::tuple<uint8_t, const void *, const void *, uint64_t,
                         uint64_t, uint64_t>;
  ValueId intern(const Key &K, const ValueInfo &I);

  std::vector<ValueInfo> Infos;
  llvm::DenseMap<Key, ValueId> Interned;
};

} // namespace dmacheck

#endif
