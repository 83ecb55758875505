// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Findings that outlive their translation unit: resolved to file/line/column,
// with a fingerprint that survives unrelated edits, NOLINT applied, and
// written as SARIF 2.1.0 or JSON.
#ifndef DMACHECK_OUTPUT_H
#define DMACHECK_OUTPUT_H

#include "dmacheck/Finding.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace dmacheck {

struct PortableLocation {
  std::string File; // absolute path
  unsigned Line = 0;
  unsigned Column = 0;
};

struct PortableNote {
  PortableLocation Loc;
  std::string Message;
  /// The function whose body holds the note (empty when none does, or when
  /// the finding was made portable without its AST): the HTML report shows
  /// the routines a path crosses.
  std::string Function;
  /// FindingNote::Routine.
  std::string Routine;
  /// The line where Function's definition begins (0: unknown).
  unsigned FunctionLine = 0;
};

/// A fix-it in file terms: replace Length bytes at Offset of File (the
/// 1-based line/column range Begin..End, End exclusive) with Text.
struct PortableFix {
  std::string File; // absolute path
  unsigned Offset = 0, Length = 0;
  unsigned Line = 0, Column = 0, EndLine = 0, EndColumn = 0;
  std::string Text;
};

struct PortableFinding {
  CheckId Check;
  PortableLocation Loc;
  std::string Message;
  std::vector<PortableNote> Notes;
  std::vector<PortableFix> Fixes;
  std::string Function;
  /// The line where the definition of the function holding the finding
  /// begins (0: unknown; known when made portable with the AST).
  unsigned FunctionLine = 0;
  /// The primary location's source line, trimmed (part of the fingerprint).
  std::string LineText;
  /// Stable across unrelated edits: check, file, function, message without
  /// line numbers, the text of the flagged line, and an occurrence index.
  std::string Fingerprint;
};

/// Resolves a finding while its SourceManager is alive; with Ctx, also the
/// function each note is in (PortableNote::Function).
PortableFinding makePortable(const Finding &F, const clang::SourceManager &SM,
                             const clang::ASTContext *Ctx = nullptr);

/// Fills in Fingerprint for findings of one run (occurrence indexes are
/// counted per file, in order).
void assignFingerprints(std::vector<PortableFinding> &Findings,
                        llvm::StringRef SourceRoot);

/// Whether a NOLINT, NOLINTNEXTLINE or NOLINTBEGIN/NOLINTEND comment in the
/// source suppresses this finding (clang-tidy's rules: a bare NOLINT
/// suppresses every check, `NOLINT(a,b*)` the named checks / globs).
bool isSuppressed(const Finding &F, const clang::SourceManager &SM);

/// A path relative to SourceRoot when it is inside it (with '/'), else as is.
std::string relativePath(llvm::StringRef Path, llvm::StringRef SourceRoot);

struct RunErrorRecord {
  std::string File;
  std::string Message;
};

void writeJson(llvm::raw_ostream &OS, const std::vector<PortableFinding> &F,
               const std::vector<RunErrorRecord> &Errors,
               llvm::StringRef SourceRoot);
void writeSarif(llvm::raw_ostream &OS, const std::vector<PortableFinding> &F,
                const std::vector<RunErrorRecord> &Errors,
                llvm::StringRef SourceRoot, llvm::StringRef ToolVersion,
                llvm::StringRef DocsUrl);

} // namespace dmacheck

#endif
