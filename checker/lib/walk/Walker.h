// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The walk over one function: the room at the centre of the pipeline. For a
// function that maps a transfer, walk its clang::CFG with a worklist of path
// states. States whose DMA state (which transfers are open, released, how they
// were mapped) is equal are merged at block entry and their values joined
// (property simulation, Das/Lerner/Seigle PLDI 2002), so the cost is
// polynomial; states whose DMA state differs are kept apart, which is what
// makes correlated branches precise. Branch facts on values that did not
// change between two tests decide the second test.
//
// One class, its members defined by concept:
//   walk/Walk.cpp        building the CFG, the worklist, the bounds (run)
//   walk/Merge.cpp       joining states at a block's entry, the exit states
//   walk/Evaluate.cpp    expressions to values, locations, reads and writes
//   walk/Branches.cpp    conditions, branch facts, successors, clamps
//   walk/Statements.cpp  statements and calls: what a call may change
//   walk/DmaEvents.cpp   map, flush, release, complete: transfers and checks
//   summaries/CallSites.cpp     applying a callee's summary at a call
//   summaries/ExitSummary.cpp   how this function returns, for its callers
//   driver/StoredTransfers.cpp  starting with a stored transfer (the DPC)
#ifndef DMACHECK_WALK_WALKER_H
#define DMACHECK_WALK_WALKER_H

#include "dmacheck/Analyzer.h"
#include "dmacheck/Events.h"

#include "checks/CheckContext.h"
#include "summaries/Summaries.h"
#include "walk/PathState.h"

#include "llvm/Support/Allocator.h"

#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace dmacheck {

class Engine;
class DriverModel;

/// E without the nodes C++ wraps around a value that do not change it
/// (cleanups, temporaries, default arguments), and without parentheses.
const clang::Expr *skipCxxWrappers(const clang::Expr *E);
/// A cast that denotes the same object (qualification, derived to base).
bool sameObjectCast(const clang::CastExpr *C);
/// E without parentheses and casts, down to an lvalue-to-rvalue conversion.
const clang::Expr *stripCasts(const clang::Expr *E);
/// The IRP whose MDL a value is: the base of an `Irp->MdlAddress` read
/// (walk/DmaEvents.cpp).
ValueId irpOfMdl(const ValueTable &Values, ValueId Mdl);

/// The walk over one function.
class FunctionWalker {
public:
  FunctionWalker(clang::ASTContext &Ctx, const EventRecognizer &Recognizer,
                 const AnalysisOptions &Opts, Engine &Owner,
                 std::vector<const StoredTransfer *> Seeds, ExitSummary *Exit,
                 std::function<void(Finding)> Emit);

  /// Returns an empty string when the function was analysed completely, or
  /// why not.
  std::string run(const clang::FunctionDecl *FD, bool HasFinally);
  /// A path dropped because no successor accepted it, if any.
  const std::string &lostPath() const { return Lost; }
  /// Hands the findings over, with the fix-its every path allows (none if
  /// the walk was not complete).
  void finishFindings(bool Complete) { Checks.finish(Complete); }

private:
  struct BlockStates {
    /// SmallVector: grows by moving its states (a std::vector copies
    /// them, PathState's move not being noexcept).
    llvm::SmallVector<PathState, 0> States;
    std::vector<bool> Dirty;
  };

  // Events and statements.
  const RecognisedCall *recognised(const clang::CallExpr *C);
  /// What the checks call a call: a helper applied there, or the API routine.
  const RecognisedCall &calleeOf(const clang::CallExpr *C) {
    auto It = HelperCalls.find(C);
    return It != HelperCalls.end() ? It->second : *recognised(C);
  }
  void transfer(PathState &S, const clang::Stmt *St);
  const clang::CallExpr *implicitDestructor(const clang::CFGAutomaticObjDtor &D);
  /// `T obj(args)`: what a driver-defined constructor stores in the object.
  void construct(PathState &S, const clang::CXXConstructExpr *CE,
                 ValueId Object);
  void onCall(PathState &S, const clang::CallExpr *Call);
  void onEvent(PathState &S, const clang::CallExpr *Call, const RecognisedCall &Ev);
  void onMap(PathState &S, const clang::CallExpr *Call, const RecognisedCall &Ev);
  void onFlush(PathState &S, const clang::CallExpr *Call, const RecognisedCall &Ev);
  void onRelease(PathState &S, const clang::CallExpr *Call, const RecognisedCall &Ev);
  void flushWith(PathState &S, const FlushSite &F);
  void releaseWith(PathState &S, const clang::CallExpr *Call, EventKind Kind,
                   ValueId Adapter, ValueId Base, ValueId Irp);
  void applyHelper(PathState &S, const clang::CallExpr *Call,
                   const HelperSummary &H);
  ValueId paramValue(PathState &S, const clang::CallExpr *Call, const ParamRef &R);
  /// What a call gives its callee's parameter Index: the argument's value,
  /// the address a reference parameter binds, or for ThisParam the object's
  /// address (model/Calls.h).
  ValueId argumentValue(PathState &S, const clang::CallExpr *Call, int Index);
  /// The pointer a member call's `this` will be, and the record it points
  /// to; NoValue when the call has no object.
  ValueId objectPointer(PathState &S, const clang::CallExpr *Call);
  void callMapHelper(PathState &S, const clang::CallExpr *Call,
                     const ExitSummary &Sum, const FieldWrites *W);
  bool enterCase(PathState &S, const clang::CallExpr *Call, const ExitCase &O);
  void addFork(PathState W, const clang::CallExpr *Call);
  void applyMapSummary(PathState &S, const clang::CallExpr *Call,
                       const ExitCase &O);
  std::optional<Location> slotLocation(PathState &S, const clang::CallExpr *Call,
                                       const SlotRef &R);
  void openTransfer(PathState &S, Transfer T, const clang::CallExpr *Call);
  void pinFacts(PathState &S);
  bool correlates(const BranchFact &F) const;
  void invalidateThroughArguments(PathState &S, const clang::CallExpr *Call,
                                  const FieldWrites *W);
  void invalidateThrough(PathState &S, const clang::CallExpr *Call,
                         const FieldWrites *W, ValueId P,
                         const clang::RecordDecl *RD);
  void maybeSeed(PathState &S, const clang::RecordDecl *RD, ValueId Base,
                 const clang::Expr *At);
  SlotRef slotRefOf(const PathState &S, ValueId V) const;
  SlotRef baseRefOf(ValueId Base) const;
  SlotRef entryRefOf(ValueId V) const;
  Location returnLocation() const;
  void summarizeExit(const PathState &S);
  bool callTouches(PathState &S, const clang::CallExpr *Call, const Transfer &T);
  ValueId roleValue(PathState &S, const clang::CallExpr *Call, int Index);

  // Values.
  ValueId eval(PathState &S, const clang::Expr *E);
  std::optional<Location> locationOf(PathState &S, const clang::Expr *E);
  std::optional<Location> pointee(ValueId Pointer);
  ValueId addressOf(PathState &S, const clang::Expr *E);
  ValueId referenceTo(PathState &S, const clang::Expr *Init,
                      const clang::ValueDecl *Ref);
  ValueId read(PathState &S, const Location &L);
  ValueId initialValue(const PathState &S, const Location &L);
  void write(PathState &S, const Location &L, ValueId V);
  static bool outlivesCall(const Location &L);
  bool readOnlyHere(const clang::VarDecl *VD);
  ValueId epochOf(const PathState &S, ValueId Base) const {
    const ValueId *E = S.Epochs.lookup(Base);
    return E ? *E : NoValue;
  }
  ValueId assign(PathState &S, const clang::BinaryOperator *B);
  ValueId update(PathState &S, const clang::Expr *Target, ValueId Delta, int Dir,
                 const clang::Stmt *Site);

  // Branches.
  struct Condition {
    bool Known = false;
    bool KnownValue = false;
    ConditionAtom Atom;
    bool Negated = false; // the condition is !(Atom)
  };
  Condition condition(PathState &S, const clang::Expr *E);
  /// What clang's constant evaluator makes of a condition the path's values
  /// do not decide (sizeof, a const global, an enumerator in a cast): once
  /// per expression, and only for one that names no variable, call or
  /// memory (the CFG is built without pruning, which would evaluate every
  /// condition, at a cost that dominated the walk).
  std::optional<bool> constantCondition(const clang::Expr *E);
  llvm::DenseMap<const clang::Expr *, std::optional<bool>> ConstantConditions;
  void assume(PathState &S, const ConditionAtom &A, bool Holds);
  void successors(const clang::CFGBlock &B, PathState &S);
  void lostPath(const PathState &S, const clang::Stmt *At);
  /// A location whose value differs between two states (null: the state
  /// has not written it).
  struct EnvDifference {
    Location L;
    const ValueId *InA, *InB;
  };
  using EnvDifferences = llvm::SmallVector<EnvDifference, 8>;
  /// The differences of A's and B's environments, walking only what the two
  /// do not share.
  EnvDifferences envDifferences(const PathState &A, const PathState &B);
  bool flagSetApart(const PathState &A, const PathState &B,
                    const EnvDifferences &D);
  int clampAt(const clang::CFGBlock &B, const clang::Expr *Cond);
  void addStep(PathState &S, PathStep::Kind K, const clang::Stmt *At) {
    if (S.Transfers.empty())
      return;
    S.Trail.push(K, At, TrailNodes);
  }

  // Merging.
  void propagate(const clang::CFGBlock *To, PathState &&S);
  void computeMoved(PathState &S);
  bool joinInto(uint64_t Block, PathState &Into, const PathState &From);
  /// The same, with the environments' differences already found.
  bool joinInto(uint64_t Block, PathState &Into, const PathState &From,
                const EnvDifferences &D);
  void atExit(PathState S);
  void giveUp(const std::string &Why) {
    if (Incomplete.empty())
      Incomplete = Why;
  }

  clang::ASTContext &Ctx;
  const EventRecognizer &Recognizer;
  const AnalysisOptions &Opts;
  Engine &Owner;
  DriverModel &Driver;
  std::vector<const StoredTransfer *> Seeds;
  ExitSummary *Exit;
  const clang::FunctionDecl *Current = nullptr;
  bool IsAdapterControl = false;
  ValueTable Values;
  CheckContext Checks;

  // The factories of the states' persistent maps: declared before every
  // member that holds states, so they outlive them.
  // Not canonicalised: hash-consing every new version costs more than it
  // saves; maps that share history still share their subtrees, which is
  // what forEachDifference skips.
  EnvMap::Factory EnvF{/*canonicalize=*/false};
  /// The nodes of the states' trails.
  llvm::BumpPtrAllocator TrailNodes;
  EpochMap::Factory EpochF{/*canonicalize=*/false};

  std::unique_ptr<clang::CFG> Graph;
  std::vector<BlockStates> Blocks;
  std::vector<const clang::CFGBlock *> ById;
  std::vector<bool> EventBlocks; // blocks with a DMA event call
  std::vector<unsigned> Order; // block id -> reverse post-order position
  std::set<std::pair<unsigned, unsigned>> Worklist; // (order, block id)
  // Node-based: references to a recognised call stay valid while others are
  // added.
  std::unordered_map<const clang::CallExpr *, std::optional<RecognisedCall>> Calls;
  /// Calls of same-file helpers whose summary was applied, as the checks name
  /// them (the helper, with the kind of its last effect).
  std::unordered_map<const clang::CallExpr *, RecognisedCall> HelperCalls;
  llvm::DenseMap<std::pair<const clang::VarDecl *, const clang::Stmt *>,
                 const clang::CallExpr *>
      DtorCalls;
  std::string Incomplete;
  std::string Lost;
  unsigned Steps = 0;
  unsigned EvalDepth = 0;
  unsigned long long ValueWork = 0;
  bool Stopped = false;
  /// The element of the current block being walked; states forked there
  /// (one per way a helper returns) resume after it.
  size_t CurrentElement = 0;
  unsigned CurrentBlock = 0;
  llvm::SmallVector<std::pair<PathState, size_t>, 0> Forks;
  /// The current path cannot go on (no way a helper returns fits it).
  bool PathDead = false;
  /// The states that reached the exit, merged like a block's.
  llvm::SmallVector<PathState, 0> ExitStates;
};

} // namespace dmacheck

#endif
