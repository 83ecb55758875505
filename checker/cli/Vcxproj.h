// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// MSBuild C/C++ projects (.vcxproj) as dmacheck's input: the compile command
// of each ClCompile item for one Configuration|Platform, the project's errors,
// the commands as a compilation database and as compile_commands.json
// (Vcxproj.cpp). Solutions are read by Sln.h; MSBuild's expansion, conditions
// and paths are MsbuildEval.h's, its XML MsbuildXml.h's.
#ifndef DMACHECK_CLI_VCXPROJ_H
#define DMACHECK_CLI_VCXPROJ_H

#include "Commands.h"

#include "dmacheck/Output.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace dmacheck {
namespace cli {

/// How projects are read: the configuration asked for, global properties,
/// and where the kernel headers come from.
struct MsBuildSettings {
  std::string Configuration; // "" = the project's first for the platform
  std::string Platform;      // "" = x64
  /// Global properties (--msbuild-property NAME=VALUE, a solution's
  /// SolutionDir): the project cannot change them.
  std::vector<std::pair<std::string, std::string>> Properties;
  /// --wdk: the WDK's macros ($(KM_IncludePath), ...) name its directories
  /// and the commands parse in MSVC mode. None: include directories named
  /// by WDK macros are dropped and the embedded default's headers are used.
  const WdkLayout *Wdk = nullptr;
  /// Applied to every command (--extra-arg-before, --extra-arg).
  clang::tooling::ArgumentsAdjuster Adjust;
  /// The solution that lists the project, for messages.
  std::string Solution;
  /// Skip a project that says it is user-mode code (a solution's test
  /// application): no kernel DMA there, and the kernel's headers do not
  /// compile it.
  bool SkipUserMode = false;
};

/// One ClCompile item's command.
struct ProjectCommand {
  std::string File;      // absolute
  std::string Directory; // the project's directory
  std::vector<std::string> Arguments;
  std::string Project; // the .vcxproj it comes from
};

/// What a project or a solution gives: the commands in build order, the
/// errors (a missing or malformed file, a ClCompile item that does not
/// exist, an unknown configuration) and notes for --verbose.
struct ProjectInput {
  std::vector<ProjectCommand> Commands;
  std::vector<RunErrorRecord> Errors;
  std::vector<std::string> Notes;
};

/// Reads the .vcxproj at Path for Settings' Configuration|Platform and
/// appends its commands, errors and notes to Out.
void readVcxproj(llvm::StringRef Path, const MsBuildSettings &Settings,
                 ProjectInput &Out);

/// A project's commands as a compilation database: exactly the files it
/// compiles (a file two projects compile has the first one's command).
class ProjectDatabase : public clang::tooling::CompilationDatabase {
public:
  explicit ProjectDatabase(const std::vector<ProjectCommand> &Commands);
  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef FilePath) const override;
  std::vector<std::string> getAllFiles() const override;
  std::vector<clang::tooling::CompileCommand>
  getAllCompileCommands() const override;
  /// The project's name of File (any spelling of its path), or "".
  std::string find(llvm::StringRef File) const;

private:
  std::vector<clang::tooling::CompileCommand> Commands;
  llvm::StringMap<size_t> Index; // normalised absolute and real paths
};

/// Writes a database's commands as a compile_commands.json ("arguments").
bool writeCompileCommands(llvm::StringRef Path,
                          const clang::tooling::CompilationDatabase &DB,
                          std::string &Error);

} // namespace cli
} // namespace dmacheck

#endif
