// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The HTML report (--format=html -o DIR): an index of the findings and one
// page per finding with the source of the files on its path (Html.cpp).
#ifndef DMACHECK_HTML_H
#define DMACHECK_HTML_H

#include "dmacheck/Output.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace dmacheck {

/// The routines a finding's path crosses, in path order, a routine repeated
/// only when the path comes back to it: the notes' functions, then the
/// finding's own. Empty names (a note outside every function) are skipped.
std::vector<std::string> crossedFunctions(const PortableFinding &F);

/// Writes Dir/index.html and Dir/finding-N.html (N from 1, in the order of
/// Findings), creating Dir; finding-N.html pages of an earlier report in Dir
/// beyond the new ones are removed. The pages are self-contained (inline CSS
/// and JavaScript, no network). Source files are read now; one that cannot
/// be read is said on its page. False, with Error, when Dir or a page cannot
/// be written.
bool writeHtml(llvm::StringRef Dir, const std::vector<PortableFinding> &F,
               const std::vector<RunErrorRecord> &Errors,
               llvm::StringRef SourceRoot, llvm::StringRef ToolVersion,
               std::string &Error);

} // namespace dmacheck

#endif
