// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "ChangedLines.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

using namespace dmacheck;

std::string ChangedLines::normalise(llvm::StringRef Path,
                                    llvm::StringRef Root) {
  llvm::SmallString<256> P;
  if (llvm::sys::path::is_absolute(Path)) {
    P = Path;
  } else {
    P = Root;
    llvm::sys::path::append(P, Path);
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

bool ChangedLines::addDiff(llvm::StringRef Text, llvm::StringRef Root,
                           std::string &Error) {
  std::string Current;
  unsigned LineNo = 0;
  bool SawFile = false;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    ++LineNo;
    Line = Line.rtrim('\r');
    if (Line.consume_front("+++ ")) {
      Line = Line.split('\t').first.trim();
      if (Line == "/dev/null") {
        Current.clear();
        continue;
      }
      if (Line.size() > 2 && Line[1] == '/' && (Line[0] == 'b' || Line[0] == 'a'))
        Line = Line.drop_front(2);
      Current = normalise(Line, Root);
      Files[Current]; // a file with no added lines still appears
      SawFile = true;
      continue;
    }
    if (Line.consume_front("@@ ")) {
      if (Current.empty())
        continue;
      // @@ -a[,b] +c[,d] @@
      size_t Plus = Line.find('+');
      if (Plus == llvm::StringRef::npos) {
        Error = "line " + std::to_string(LineNo) + ": malformed hunk header";
        return false;
      }
      llvm::StringRef Range = Line.substr(Plus + 1).split(' ').first;
      auto [StartText, CountText] = Range.split(',');
      unsigned Start = 0, Count = 1;
      if (StartText.getAsInteger(10, Start) ||
          (!CountText.empty() && CountText.getAsInteger(10, Count))) {
        Error = "line " + std::to_string(LineNo) + ": malformed hunk header";
        return false;
      }
      if (Count > 0)
        Files[Current].push_back({Start, Start + Count - 1});
    }
  }
  if (!SawFile) {
    Error = "no file header ('+++ ') found; expected a unified diff";
    return false;
  }
  return true;
}

bool ChangedLines::addLineFilter(llvm::StringRef Json, llvm::StringRef Root,
                                 std::string &Error) {
  auto V = llvm::json::parse(Json);
  if (!V) {
    Error = llvm::toString(V.takeError());
    return false;
  }
  const llvm::json::Array *A = V->getAsArray();
  if (!A) {
    Error = "expected an array of {\"name\": ..., \"lines\": [[a, b], ...]}";
    return false;
  }
  for (const llvm::json::Value &E : *A) {
    const llvm::json::Object *O = E.getAsObject();
    if (!O) {
      Error = "every entry needs a \"name\"";
      return false;
    }
    auto Name = O->getString("name");
    if (!Name) {
      Error = "every entry needs a \"name\"";
      return false;
    }
    auto &Ranges = Files[normalise(*Name, Root)];
    const llvm::json::Array *Lines = O->getArray("lines");
    if (!Lines) {
      Ranges.clear(); // whole file
      Ranges.push_back({1, ~0u});
      continue;
    }
    for (const llvm::json::Value &R : *Lines) {
      const llvm::json::Array *Pair = R.getAsArray();
      if (!Pair || Pair->size() != 2 || !(*Pair)[0].getAsInteger() ||
          !(*Pair)[1].getAsInteger()) {
        Error = "\"lines\" takes pairs of line numbers";
        return false;
      }
      Ranges.push_back({unsigned(*(*Pair)[0].getAsInteger()),
                        unsigned(*(*Pair)[1].getAsInteger())});
    }
  }
  return true;
}

bool ChangedLines::touches(llvm::StringRef File, unsigned Line) const {
  auto It = Files.find(File.str());
  if (It == Files.end())
    return false;
  for (const auto &[From, To] : It->second)
    if (Line >= From && Line <= To)
      return true;
  return false;
}
