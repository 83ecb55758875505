// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Findings -> text, in clang's diagnostic format (the same layout clang-tidy
// prints): "file:line:col: warning: message [check]", the source line and
// caret, then one "note:" per step of the path.
#ifndef DMACHECK_REPORT_H
#define DMACHECK_REPORT_H

#include "dmacheck/Finding.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace dmacheck {

struct TextOptions {
  bool Color = false;
};

void printFindings(const std::vector<Finding> &Findings,
                   clang::SourceManager &SM, const clang::LangOptions &LO,
                   llvm::raw_ostream &OS, const TextOptions &Opts);

} // namespace dmacheck

#endif
