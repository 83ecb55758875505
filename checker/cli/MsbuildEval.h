// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// MSBuild's strings as a project's evaluation reads them (MsbuildEval.cpp):
// ';' lists, %XX escapes and paths (backslashes, relative, in any case);
// the properties (global, the project's, the defaults before it) and the
// $(Property) / %(Metadata) expansion over them; Conditions; what the WDK's
// macros ($(KM_IncludePath), ...) expand to. What the project's elements
// do with them (imports, item definitions, items, commands) is Vcxproj.cpp's.
#ifndef DMACHECK_CLI_MSBUILDEVAL_H
#define DMACHECK_CLI_MSBUILDEVAL_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace dmacheck {
namespace cli {

struct WdkLayout;

/// An MSBuild path (backslashes, relative to Base) as a path here, absolute;
/// a name that differs only in case from the one on disk is the one on disk.
std::string resolveMsBuildPath(llvm::StringRef Base, llvm::StringRef Path);

namespace msbuild {

/// What a WDK macro expands to when no --wdk says where the kit is: an
/// include directory that contains it is dropped, and an import or Exists()
/// that does is not there. (A control character, which no XML text holds.)
constexpr char NoWdk = '\x1f';

/// A path joined to B.
std::string joinPath(llvm::StringRef A, llvm::StringRef B);
/// S with '/' for each '\'.
std::string slashes(llvm::StringRef S);
/// MSBuild's escapes: %3B is ';', %24 '$', %25 '%', ...
std::string unescape(llvm::StringRef S);
/// A ';' list: its entries, trimmed and unquoted, the empty ones left out.
std::vector<std::string> splitList(llvm::StringRef S);
/// A true boolean property or metadata value (true, yes, on).
bool isTrue(llvm::StringRef S);

/// What an expansion sees: the file it is in ($(MSBuildThisFile...)), and
/// for item metadata the item's metadata so far (%(Name)).
struct Scope {
  explicit Scope(std::string File,
                 const llvm::StringMap<std::string> *Metadata = nullptr,
                 std::string Item = "", std::string ItemPath = "")
      : File(std::move(File)), Metadata(Metadata), Item(std::move(Item)),
        ItemPath(std::move(ItemPath)) {}
  std::string File;
  const llvm::StringMap<std::string> *Metadata;
  std::string Item; // the item's Include, for %(Filename), %(Identity), ...
  std::string ItemPath;
};

/// One project's properties and what reads them: expansion, lookup and
/// conditions. The project's reader (Vcxproj.cpp) derives from it and sets
/// the properties as it walks the project.
class Properties {
public:
  /// Path: the project, absolute. Its notes (for --verbose) go to Notes as
  /// "'Path': text", each once.
  Properties(llvm::StringRef Path, std::vector<std::string> &Notes);

  /// S with its $(Property) references expanded, and with Sc's metadata its
  /// %(Metadata) ones; *Undefined is set when a property is not defined or
  /// is a property function (not evaluated: empty). Item lists (@(...)) are
  /// empty.
  std::string expand(llvm::StringRef S, const Scope &Sc,
                     bool *Undefined = nullptr, int Depth = 0);
  /// The property Name (reserved, global, the project's, else the default's
  /// expansion); Defined false and "" when it is none of them.
  std::string lookup(llvm::StringRef Name, const Scope &Sc, bool &Defined,
                     int Depth);
  /// Whether the Condition Text holds (an empty one does): comparisons,
  /// and/or/!, parentheses, Exists() and HasTrailingSlash(). Exists() is
  /// relative to Base, by default the project's directory (an import's
  /// condition is relative to the importing file). One it does not
  /// understand is false, with a note.
  bool conditionHolds(llvm::StringRef Text, const Scope &Sc,
                      llvm::StringRef Base = "");
  /// A note for --verbose, once.
  void note(const std::string &Text);

protected:
  /// The WDK's macros as defaults: --wdk's directories (W), or NoWdk.
  void defineWdkMacros(const WdkLayout *W);

  std::string Path, Dir, Name; // the project, its directory, its name
  // Keys are lower-case: MSBuild's property and metadata names ignore case.
  llvm::StringMap<std::string> Globals, Props, Defaults;

private:
  std::string metadata(llvm::StringRef Name, const Scope &Sc);

  std::vector<std::string> &Notes;
  std::set<std::string> Noted;
};

} // namespace msbuild
} // namespace cli
} // namespace dmacheck

#endif
