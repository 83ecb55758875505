// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// "Only what a change touches": changed line ranges per file, from a unified
// diff (as `git diff -U0` prints it) or from clang-tidy's --line-filter JSON.
#ifndef DMACHECK_CLI_CHANGEDLINES_H
#define DMACHECK_CLI_CHANGEDLINES_H

#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dmacheck {

class ChangedLines {
public:
  /// Parses a unified diff; paths are resolved against Root ("b/" prefixes
  /// stripped). Returns false and sets Error on malformed input.
  bool addDiff(llvm::StringRef Text, llvm::StringRef Root, std::string &Error);
  /// Parses `[{"name": "file.c", "lines": [[1, 3], [7, 7]]}, ...]`; a file
  /// without "lines" counts as changed everywhere.
  bool addLineFilter(llvm::StringRef Json, llvm::StringRef Root,
                     std::string &Error);

  bool touches(llvm::StringRef File, unsigned Line) const;
  bool empty() const { return Files.empty(); }

private:
  static std::string normalise(llvm::StringRef Path, llvm::StringRef Root);
  // file -> ranges; an empty vector means the whole file.
  std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> Files;
};

} // namespace dmacheck

#endif
