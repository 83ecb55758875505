// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What a check sees: the engine's situation (a flush meeting its transfer, a
// path ending with a transfer released unflushed), the value relations, and a
// way to emit a finding. One small file per check implements the wording.
#ifndef DMACHECK_CHECKCONTEXT_H
#define DMACHECK_CHECKCONTEXT_H

#include "walk/PathState.h"
#include "dmacheck/Events.h"
#include "dmacheck/Finding.h"

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <map>
#include <optional>

namespace dmacheck {

/// A FlushAdapterBuffers call, with the values it was given.
struct FlushSite {
  const clang::CallExpr *Call = nullptr;
  const RecognisedCall *Callee = nullptr;
  ValueId Adapter = NoValue, Mdl = NoValue, MapRegisterBase = NoValue,
          CurrentVa = NoValue, Length = NoValue, WriteToDevice = NoValue;
  /// The flush happens inside a same-file helper called here (Call is the
  /// helper's call): its arguments are not the flush's.
  bool Helper = false;
};

/// The flush arguments a fix-it may repair.
enum class FixRole : unsigned {
  CurrentVa,
  Length,
  Mdl,
  MapRegisterBase,
  WriteToDevice,
  Count
};

/// A fix-it a check would like to attach: replace the flush's argument
/// (Range, now spelled Current) with the first of Preferred that holds the
/// mapped value on every path that reaches the flush (decided in finish()).
struct PendingFix {
  const clang::CallExpr *Call = nullptr;
  FixRole Role = FixRole::CurrentVa;
  clang::CharSourceRange Range;
  std::string Current;
  std::vector<std::string> Preferred;
};

class CheckContext {
public:
  CheckContext(clang::ASTContext &Ctx, ValueTable &Values, const CheckSet &On,
               std::function<const RecognisedCall &(const clang::CallExpr *)>
                   CalleeOf,
               std::function<void(Finding)> Emit)
      : Ctx(Ctx), Values(Values), On(On), CalleeOf(std::move(CalleeOf)),
        EmitFn(std::move(Emit)) {}

  clang::ASTContext &Ctx;
  ValueTable &Values;

  /// The function being walked, whose body the two below are about.
  void setFunction(const clang::FunctionDecl *FD) {
    Function = FD;
    Parents.clear();
    DeclStmts.clear();
    Visible.clear();
    Chains.clear();
  }
  /// The statement that contains S in the function's body (null for the
  /// body), and the DeclStmt that declares a local: from one walk over the
  /// body, made when first asked (clang's ParentMapContext would map the
  /// whole translation unit, the headers' inline functions included).
  const clang::Stmt *parentOf(const clang::Stmt *S) const;
  const clang::Stmt *declStmtOf(const clang::VarDecl *VD) const;

  bool enabled(CheckId Id) const { return On.has(Id); }
  /// Findings are kept until the walk ends (finish), when the fix-its that
  /// every path allows are known.
  void emit(Finding F, std::optional<PendingFix> Fix = std::nullopt) {
    Buffered.push_back({std::move(F), std::move(Fix)});
  }
  /// Emits the findings kept, in order, with their fix-its; none when the
  /// walk was not complete (a path not walked may need another value).
  void finish(bool Complete);

  /// A path reaches flush F, which ends transfer T: which expressions hold,
  /// on this path, the values T was mapped with (for the fix-its).
  void noteFlush(const PathState &S, const Transfer &T, const FlushSite &F);
  /// A path reaches F and no single transfer is known to end there
  /// (nothing open, several that may be it, or one no longer followed): no
  /// fix-it for F.
  void noteUnmatchedFlush(const FlushSite &F);
  /// The fix-it replacing F's argument Arg (of role R) with an expression
  /// that holds the value T was mapped with, if one may: a local or
  /// parameter visible at the flush (or a field through one) whose value at
  /// the flush is, on this path, the very value (ValueId) the map was given.
  std::optional<PendingFix> fixFor(const PathState &S, const Transfer &T,
                                   const FlushSite &F, FixRole R,
                                   const clang::Expr *Arg);

  /// The event routine as the driver called it ("MapTransfer",
  /// "IoFlushAdapterBuffers", "flush").
  const RecognisedCall &callee(const clang::CallExpr *Call) const {
    return CalleeOf(Call);
  }
  /// The source text of E, on one line.
  std::string spell(const clang::Expr *E) const;
  /// The location to report a call at: the callee's name.
  clang::SourceLocation callLoc(const clang::CallExpr *Call) const;
  unsigned line(clang::SourceLocation L) const;
  /// Where a note about a statement points (a call: its callee's name).
  clang::SourceLocation stmtLoc(const clang::Stmt *S) const;
  bool isBefore(clang::SourceLocation A, clang::SourceLocation B) const;
  /// The argument of Call with the given index, or null.
  const clang::Expr *arg(const clang::CallExpr *Call, int Index) const;
  /// Values.provablyDifferent, or a constant against a value the path's
  /// branch facts pin down (`if (write) flush(..., FALSE)` after mapping
  /// with `write`).
  bool provablyDifferent(const PathState &S, ValueId A, ValueId B) const;
  /// A local variable that holds V on this path, for messages ("startVa").
  /// Only variables in scope at At are named.
  std::string variableHolding(const PathState &S, ValueId V,
                              clang::SourceLocation At) const;
  bool inScopeAt(const clang::VarDecl *VD, clang::SourceLocation At) const;

  /// Statements a check wants shown, in path order, with its own words.
  using Highlights = std::vector<std::pair<const clang::Stmt *, std::string>>;
  /// "transfer mapped here", the check's own notes about the map, then the
  /// decisions taken on the path with the highlighted statements among them
  /// in the order the path reached them.
  std::vector<FindingNote> pathNotes(const PathState &S, const Transfer &T,
                                     std::vector<FindingNote> AtMap = {},
                                     const Highlights &Along = {}) const;
  /// "line N", or "line N in 'Helper'" for a transfer mapped in another
  /// function.
  std::string mapAt(const Transfer &T) const;
  std::string releaseVerb(const Transfer &T) const;

private:
  /// The expressions (their text) that hold T's value of role R at F on
  /// this path, preferred first.
  /// Held: the variables of S.Env that hold one of T's values, if known.
  using HeldValues = std::vector<std::pair<Location, ValueId>>;
  std::vector<std::string> candidates(const PathState &S, const Transfer &T,
                                      const FlushSite &F, FixRole R,
                                      const HeldValues *Held = nullptr);
  /// E (a variable, or a field through one) evaluated at S without side
  /// effects: the value the walk would give it, or NoValue.
  ValueId valueAt(const PathState &S, const clang::Expr *E) const;
  ValueId addressAt(const PathState &S, const clang::Expr *E) const;
  /// The variable an access chain (`v`, `p->f`, `s.f.g`, under parentheses
  /// and casts) starts from, or null for anything else.
  const clang::VarDecl *chainRoot(const clang::Expr *E) const;
  /// Whether the name of VD, written at At, denotes VD (a parameter or local
  /// of the function At is in, declared before it in an enclosing scope and
  /// not hidden by another declaration of the name).
  bool visibleAt(const clang::VarDecl *VD, const clang::Stmt *At) const;
  /// The source text of a range in a file (empty if it is not one).
  std::string sourceText(clang::CharSourceRange R) const;
  const clang::FunctionDecl *Function = nullptr;
  mutable llvm::DenseMap<const clang::Stmt *, const clang::Stmt *> Parents;
  mutable llvm::DenseMap<const clang::VarDecl *, const clang::Stmt *>
      DeclStmts;
  void mapParents() const;
  bool lookUpVisible(const clang::VarDecl *VD, const clang::Stmt *At) const;
  /// The statements from the body down to At (empty: not found).
  const std::vector<const clang::Stmt *> &chainTo(const clang::Stmt *At) const;
  mutable llvm::DenseMap<const clang::Stmt *, std::vector<const clang::Stmt *>>
      Chains;
  mutable llvm::DenseMap<std::pair<const clang::VarDecl *, const clang::Stmt *>,
                         bool>
      Visible;

  struct BufferedFinding {
    Finding F;
    std::optional<PendingFix> Fix;
  };
  std::vector<BufferedFinding> Buffered;
  /// Per flush and role: the candidates every path seen so far allows.
  std::map<std::pair<const clang::CallExpr *, unsigned>,
           std::vector<std::string>>
      Allowed;

  const CheckSet &On;
  std::function<const RecognisedCall &(const clang::CallExpr *)> CalleeOf;
  std::function<void(Finding)> EmitFn;
};

// The checks. Each reads one engine situation and may emit findings.
void reportMissingFlush(CheckContext &C, const PathState &S, const Transfer &T);
/// An AdapterControl (Current) returns with T mapped on the map registers
/// the system gave it, unflushed, and keeps the map register base nowhere a
/// later routine could flush with.
void reportLostMapping(CheckContext &C, const PathState &S, const Transfer &T,
                       const clang::FunctionDecl *Current);
void reportFlushOrder(CheckContext &C, const PathState &S, const Transfer &T,
                      const FlushSite &F);
void checkFlushVa(CheckContext &C, const PathState &S, const Transfer &T,
                  const FlushSite &F);
void checkFlushLength(CheckContext &C, const PathState &S, const Transfer &T,
                      const FlushSite &F);
void checkFlushArguments(CheckContext &C, const PathState &S,
                         const Transfer &T, const FlushSite &F);

} // namespace dmacheck

#endif
