// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The walk's driver loop: builds the function's CFG (rewriting __finally
// blocks that clang::CFG does not model), orders blocks in reverse
// post-order, runs the worklist of path states to a fixed point within the
// bounds (statement visits, states per block, value work), and reports why a
// function was only partly analysed.
#include "walk/Walker.h"
#include "model/Calls.h"
#include "clang/Basic/SourceManager.h"

#include "Engine.h"
#include "driver/DriverModel.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"

using namespace clang;
using namespace dmacheck;

FunctionWalker::FunctionWalker(ASTContext &Ctx, const EventRecognizer &Recognizer,
                 const AnalysisOptions &Opts, Engine &Owner,
                 std::vector<const StoredTransfer *> Seeds, ExitSummary *Exit,
                 std::function<void(Finding)> Emit)
      : Ctx(Ctx), Recognizer(Recognizer), Opts(Opts), Owner(Owner),
        Driver(Owner.driver()), Seeds(std::move(Seeds)), Exit(Exit),
        Checks(Ctx, Values, Opts.Checks,
               [this](const CallExpr *C) -> const RecognisedCall & {
                 return calleeOf(C);
               },
               std::move(Emit)) {}

namespace {
/// clang::CFG has no model of __try/__finally. A __finally block runs after
/// its __try block on every way out of it; when the ways out are falling off
/// its end and __leave, `__try { A } __finally { B }` is exactly
/// `{ A' __finally: B }` where A' jumps to the label for each __leave. That
/// rewrite is applied for the duration of the CFG build and undone after; a
/// __try block that can also be left by return, goto, break or continue is
/// not rewritten, and the function is reported partly analysed.
class FinallyRewriter {
public:
  FinallyRewriter(ASTContext &Ctx, const FunctionDecl *FD) : Ctx(Ctx), FD(FD) {}
  ~FinallyRewriter() {
    for (auto It = Undo.rbegin(); It != Undo.rend(); ++It)
      *It->first = It->second;
  }
  /// Returns false when some __try/__finally could not be rewritten.
  bool rewrite(Stmt *S, unsigned Depth = 0) {
    if (Depth > 1024)
      return false; // deeper than any real driver: not modelled
    bool Ok = true;
    for (Stmt *&Child : S->children()) {
      if (!Child)
        continue;
      if (auto *Try = dyn_cast<SEHTryStmt>(Child);
          Try && Try->getFinallyHandler()) {
        if (leavesEarly(Try->getTryBlock(), /*InLoop=*/false)) {
          Ok = false;
          continue;
        }
        SourceLocation At = Try->getFinallyHandler()->getBeginLoc();
        LabelDecl *Label = LabelDecl::Create(
            Ctx, const_cast<FunctionDecl *>(FD), At,
            &Ctx.Idents.get("__finally"));
        replaceLeaves(Try->getTryBlock(), Label);
        auto *Labelled = new (Ctx)
            LabelStmt(At, Label, Try->getFinallyHandler()->getBlock());
        Label->setStmt(Labelled);
        Stmt *Parts[] = {Try->getTryBlock(), Labelled};
#if LLVM_VERSION_MAJOR >= 15
        CompoundStmt *Seq = CompoundStmt::Create(
            Ctx, Parts, FPOptionsOverride(), Try->getBeginLoc(),
            Try->getEndLoc());
#else
        CompoundStmt *Seq = CompoundStmt::Create(Ctx, Parts, Try->getBeginLoc(),
                                                 Try->getEndLoc());
#endif
        Undo.push_back({&Child, Child});
        Child = Seq;
      }
      Ok &= rewrite(Child, Depth + 1);
    }
    return Ok;
  }

private:
  /// `__leave` of this __try (not of a nested one) becomes `goto __finally`.
  void replaceLeaves(Stmt *S, LabelDecl *Label, unsigned Depth = 0) {
    if (Depth > 1024)
      return;
    for (Stmt *&Child : S->children()) {
      if (!Child || isa<SEHTryStmt>(Child))
        continue;
      if (isa<SEHLeaveStmt>(Child)) {
        Undo.push_back({&Child, Child});
        Child = new (Ctx)
            GotoStmt(Label, Child->getBeginLoc(), Child->getBeginLoc());
        continue;
      }
      replaceLeaves(Child, Label, Depth + 1);
    }
  }

  /// Ways out of a __try block other than its end and __leave.
  static bool leavesEarly(const Stmt *S, bool InLoop, unsigned Depth = 0) {
    if (!S)
      return false;
    if (Depth > 1024)
      return true; // too deep to tell: treat as not modelled
    if (isa<ReturnStmt>(S) || isa<GotoStmt>(S) || isa<IndirectGotoStmt>(S))
      return true;
    if ((isa<BreakStmt>(S) || isa<ContinueStmt>(S)) && !InLoop)
      return true;
    bool Loop = InLoop || isa<ForStmt>(S) || isa<WhileStmt>(S) ||
                isa<DoStmt>(S) || isa<SwitchStmt>(S);
    for (const Stmt *C : S->children())
      if (leavesEarly(C, Loop, Depth + 1))
        return true;
    return false;
  }

  ASTContext &Ctx;
  const FunctionDecl *FD;
  std::vector<std::pair<Stmt **, Stmt *>> Undo;
};
} // namespace

/// The call of a driver-defined destructor for an object leaving its scope
/// (at the statement that ends it: a return, the closing brace), made once
/// per object and place so that every path reaching it sees the same call.
const CallExpr *
FunctionWalker::implicitDestructor(const CFGAutomaticObjDtor &D) {
  const VarDecl *VD = D.getVarDecl();
  const Stmt *Trigger = D.getTriggerStmt();
  auto [It, New] = DtorCalls.try_emplace({VD, Trigger}, nullptr);
  if (!New)
    return It->second;
  const CXXDestructorDecl *Dtor = D.getDestructorDecl(Ctx);
  const FunctionDecl *Def = Dtor ? Dtor->getDefinition() : nullptr;
  if (!Def || !Driver.isOurs(Def))
    return nullptr;
  SourceLocation At = VD->getLocation();
  if (const auto *C = dyn_cast_or_null<CompoundStmt>(Trigger))
    At = C->getRBracLoc();
  else if (Trigger)
    At = Trigger->getBeginLoc();
  return It->second = destructorCall(Ctx, Dtor, VD, At);
}

std::string FunctionWalker::run(const FunctionDecl *FD, bool HasFinally) {
  Current = FD;
  Checks.setFunction(FD);
  IsAdapterControl = Driver.hasRole(FD, "adapter-control");
  FinallyRewriter Finally(Ctx, FD);
  if (HasFinally &&
      !Finally.rewrite(const_cast<Stmt *>(FD->getBody())))
    return "a __try block with __finally that can be left by return, goto, "
           "break or continue is not modelled";
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  BO.PruneTriviallyFalseEdges = false;
  BO.AddEHEdges = false;
  // C++: the destructors of objects leaving their scope run there (an
  // object that releases the map registers in its destructor).
  BO.AddImplicitDtors = Ctx.getLangOpts().CPlusPlus;
  BO.AddInitializers = false;
  Graph = CFG::buildCFG(FD, FD->getBody(), &Ctx, BO);
  if (!Graph)
    return "no control-flow graph could be built";
  if (Graph->getNumBlockIDs() > Opts.Limits.MaxBlocks)
    return "more than " + std::to_string(Opts.Limits.MaxBlocks) + " blocks";

  // Reverse post-order, so a block is usually walked after its predecessors.
  unsigned N = Graph->getNumBlockIDs();
  Order.assign(N, N);
  {
    std::vector<const CFGBlock *> Post;
    std::vector<bool> Seen(N, false);
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>>
        Stack;
    const CFGBlock *Entry = &Graph->getEntry();
    Seen[Entry->getBlockID()] = true;
    Stack.push_back({Entry, Entry->succ_begin()});
    while (!Stack.empty()) {
      auto &[Blk, It] = Stack.back();
      if (It == Blk->succ_end()) {
        Post.push_back(Blk);
        Stack.pop_back();
        continue;
      }
      const CFGBlock *Next = It->getReachableBlock();
      ++It;
      if (Next && !Seen[Next->getBlockID()]) {
        Seen[Next->getBlockID()] = true;
        Stack.push_back({Next, Next->succ_begin()});
      }
    }
    unsigned Pos = 0;
    for (auto It = Post.rbegin(); It != Post.rend(); ++It)
      Order[(*It)->getBlockID()] = Pos++;
  }

  ById.assign(N, nullptr);
  EventBlocks.assign(N, false);
  for (const CFGBlock *Blk : *Graph) {
    ById[Blk->getBlockID()] = Blk;
    for (const CFGElement &E : *Blk)
      if (auto CS = E.getAs<CFGStmt>())
        if (const auto *Call = dyn_cast<CallExpr>(CS->getStmt()))
          if (recognised(Call))
            EventBlocks[Blk->getBlockID()] = true;
  }
  Blocks.assign(N, BlockStates());
  propagate(&Graph->getEntry(), PathState());
  // A routine that runs after another stored a transfer also starts with
  // that transfer open (one state per stored transfer it reads).
  for (size_t I = 0; I < Seeds.size() && I < 8; ++I) {
    PathState Seeded;
    Seeded.PendingSeed = uint8_t(I + 1);
    propagate(&Graph->getEntry(), std::move(Seeded));
  }
  while (!Worklist.empty()) {
    unsigned Id = Worklist.begin()->second;
    Worklist.erase(Worklist.begin());
    const CFGBlock &B = *ById[Id];
    BlockStates &BS = Blocks[Id];
    for (size_t I = 0; I < BS.States.size() && !Stopped; ++I) {
      if (!BS.Dirty[I])
        continue;
      BS.Dirty[I] = false;
      Forks.clear();
      Forks.push_back({BS.States[I], 0});
      CurrentBlock = Id;
      // The block's state, then the states forked from it on the way.
      while (!Forks.empty() && !Stopped) {
        auto [S, From] = std::move(Forks.back());
        Forks.pop_back();
        PathDead = false;
        for (size_t K = From; K < B.size() && !PathDead; ++K) {
          if (++Steps > Opts.Limits.MaxSteps) {
            giveUp("more than " + std::to_string(Opts.Limits.MaxSteps) +
                   " steps");
            return Incomplete;
          }
          CurrentElement = K;
          if (auto CS = B[K].getAs<CFGStmt>())
            transfer(S, CS->getStmt());
          else if (auto D = B[K].getAs<CFGAutomaticObjDtor>())
            if (const CallExpr *Call = implicitDestructor(*D))
              onCall(S, Call);
        }
        if (!PathDead)
          successors(B, S);
      }
      // propagate() may have grown this block's vectors (a self loop).
    }
  }
  if (Incomplete.empty())
    for (const PathState &S : ExitStates)
      summarizeExit(S);
  return Incomplete;
}
