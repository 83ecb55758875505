// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef DMACHECK_FINDING_H
#define DMACHECK_FINDING_H

#include "dmacheck/Checks.h"

#include "clang/Basic/SourceLocation.h"

#include <string>
#include <vector>

namespace dmacheck {

struct FindingNote {
  FindingNote() = default;
  FindingNote(clang::SourceLocation Loc, std::string Message,
              std::string Routine = "")
      : Loc(Loc), Message(std::move(Message)), Routine(std::move(Routine)) {}
  clang::SourceLocation Loc;
  std::string Message;
  /// The routine whose path reached this step, when it is not the one the
  /// finding is in: the callback that left the transfer mapped (a helper it
  /// called may hold the note). Empty: the finding's routine.
  std::string Routine;
};

/// A repair of a finding: replace the characters of Range (a file character
/// range) with Text. Offered only where it is provable (see
/// docs/usage.md, "Fix-its").
struct FindingFix {
  clang::CharSourceRange Range;
  std::string Text;
};

/// A finding is data (check, location, message, notes along the path) until a
/// front end prints it.
struct Finding {
  CheckId Check;
  clang::SourceLocation Loc;
  clang::SourceRange Range;
  std::string Message;
  std::vector<FindingNote> Notes;
  /// Fix-its (clang::FixItHint in the front ends); empty when none is
  /// provable.
  std::vector<FindingFix> Fixes;
  /// The function the finding is in (for fingerprints).
  std::string Function;
};

/// A function the analysis could not finish within its bounds. Findings from
/// the part it did walk are kept; nothing is reported from what it skipped.
struct PartialAnalysis {
  std::string Function;
  clang::SourceLocation Loc;
  std::string Reason;
};

} // namespace dmacheck

#endif
