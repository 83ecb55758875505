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

#include <functional>

namespace dmacheck {

/// A FlushAdapterBuffers call, with the values it was given.
struct FlushSite {
  const clang::CallExpr *Call = nullptr;
  const RecognisedCall *Callee = nullptr;
  ValueId Adapter = NoValue, Mdl = NoValue, MapRegisterBase = NoValue,
          CurrentVa = NoValue, Length = NoValue, WriteToDevice = NoValue;
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

  bool enabled(CheckId Id) const { return On.has(Id); }
  void emit(Finding F) { EmitFn(std::move(F)); }

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
