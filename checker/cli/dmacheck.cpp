// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dmacheck: the command-line linter. libTooling front end over a compilation
// database (-p) or explicit flags (file.c -- flags); with neither, an embedded
// default configuration parses drivers that include <wdm.h> on any machine
// that has mingw-w64's DDK headers.
//
// The command's parts, along its data flow:
//   Options.cpp   the options and their help
//   dmacheck.cpp  main: the inputs (database, sources, checks, rules,
//                 baselines, diffs) and the run's configuration
//   Commands.cpp  each file's compile command (default, --wdk, target)
//   Vcxproj.cpp   --vcxproj: an MSBuild project's commands as the database
//                 (MsbuildEval.cpp its expansion and conditions,
//                 MsbuildXml.cpp its XML)
//   Sln.cpp       --vcxproj: a solution's projects and configurations
//   FileRun.cpp   one file parsed and analysed
//   Rounds.cpp    the rounds over the files (parallel; facts across files)
//   Results.cpp   findings merged and written (text, SARIF, JSON, baseline)
//
// Exit status: 0 no findings, 1 findings, 2 some input could not be analysed
// (every finding from the rest is still printed).
#include "ChangedLines.h"
#include "Commands.h"
#include "FileRun.h"
#include "Options.h"
#include "Results.h"
#include "Rounds.h"
#include "Sln.h"
#include "Vcxproj.h"

#include "dmacheck/ApiModel.h"
#include "dmacheck/Checks.h"

#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace clang::tooling;
using namespace dmacheck;
using namespace dmacheck::cli;
namespace cl = llvm::cl;

int main(int argc, const char **argv) {
  // A crash in one file's analysis is reported (exit 2) and the others go on.
  llvm::CrashRecoveryContext::Enable();
  // As clang and clang-tidy do: MS-style `__asm` blocks in driver headers
  // (x86 WDK headers) are parsed by the target's assembly parser.
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "dmacheck " DMACHECK_VERSION " (built with LLVM " LLVM_VERSION_STRING
          ")\n";
  });

  // Without "--" flags or -p, parse with the embedded default; a compilation
  // database found next to the sources still wins (below).
  std::vector<const char *> Args(argv, argv + argc);
  bool HasFlags = false, HasBuildPath = false, HasWdk = false;
  std::string BuildPath;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A(argv[I]);
    if (A == "--") {
      HasFlags = true;
      break;
    }
    HasWdk |= A.substr(0, 5) == "-wdk=" || A.substr(0, 6) == "--wdk=" ||
              A == "-wdk" || A == "--wdk";
    if ((A == "-p" || A == "--p") && I + 1 < argc) {
      HasBuildPath = true;
      BuildPath = argv[I + 1];
    } else if (A.consume_front("-p=") || A.consume_front("--p=")) {
      HasBuildPath = true;
      BuildPath = A.str();
    }
  }
  // Load the database ourselves first: a broken one is an error (exit 2),
  // never a silent run without flags.
  std::unique_ptr<CompilationDatabase> BuildDatabase;
  if (HasBuildPath) {
    std::string Err;
    llvm::SmallString<256> Json(BuildPath);
    llvm::sys::path::append(Json, "compile_commands.json");
    if (!llvm::sys::fs::exists(Json)) {
      error("no compilation database (compile_commands.json) in '" +
            BuildPath + "'");
      return 2;
    }
    BuildDatabase = JSONCompilationDatabase::loadFromFile(
        Json, Err, JSONCommandLineSyntax::AutoDetect);
    if (!BuildDatabase) {
      error("invalid compilation database '" + Json +
            "': " + llvm::StringRef(Err).trim());
      return 2;
    }
  }
  // --wdk replaces the embedded default's headers (it keeps its target).
  std::vector<std::string> Defaults = defaultFlags();
  if (HasWdk)
    Defaults = {"-fms-extensions"};
  bool UsingDefault = !HasFlags && !HasBuildPath;
  if (UsingDefault) {
    Args.push_back("--");
    for (const std::string &F : Defaults)
      Args.push_back(F.c_str());
  }
  int ArgCount = int(Args.size());
  auto Parsed = CommonOptionsParser::create(ArgCount, Args.data(), Category,
                                            cl::ZeroOrMore);
  if (!Parsed) {
    error(llvm::toString(Parsed.takeError()));
    return 2;
  }
  CommonOptionsParser &Options = *Parsed;

  std::string Err;
  auto Enabled = CheckSet::fromGlobList(ChecksOpt, Err);
  if (!Enabled) {
    error(Err);
    return 2;
  }
  if (ListChecks) {
    llvm::outs() << "Enabled checks:\n";
    for (const CheckInfo &C : allChecks())
      if (Enabled->has(C.Id))
        llvm::outs() << "    " << C.Name << "\n";
    llvm::outs() << "\n";
    return 0;
  }
  if (FormatOpt != "text" && FormatOpt != "sarif" && FormatOpt != "json" &&
      FormatOpt != "html") {
    error("unknown --format '" + FormatOpt + "' (text, sarif, json, html)");
    return 2;
  }
  if (FormatOpt == "html" && OutputFile.empty()) {
    error("--format=html needs -o <dir>: the directory the report is "
          "written to");
    return 2;
  }

  if (ProgressOpt != "auto" && ProgressOpt != "always" &&
      ProgressOpt != "never") {
    error("unknown --progress '" + ProgressOpt + "' (auto, always, never)");
    return 2;
  }

  DriverFacts Given;
  if (!FactsFile.empty()) {
    std::string FactsError;
    if (!Given.readFile(FactsFile, FactsError)) {
      error("--facts: " + FactsError);
      return 2;
    }
  }
  RunConfig Config;
  Config.Options.Checks = *Enabled;
  Config.Options.Facts = &Given;
  Config.Options.Limits.MaxStatesPerBlock =
      std::max(1u, unsigned(MaxStatesPerBlock));
  Config.Options.Limits.MaxSteps = std::max(1u, unsigned(MaxSteps));
  Config.Options.Limits.MaxValueWork =
      std::max<unsigned long long>(1, MaxValueWork);
  Config.Verbose = Verbose;
  Config.Text.Color = wantsColor();
  ApiModel Model = ApiModel::builtin();
  for (const std::string &File : RulesFiles) {
    if (!Model.addRulesFromFile(File, Err)) {
      llvm::errs() << Tool << ": error: " << Err << "\n";
      return 2;
    }
  }
  Config.Model = &Model;
  {
    llvm::SmallString<256> Root(SourceRoot.empty() ? "." : SourceRoot.c_str());
    llvm::sys::fs::make_absolute(Root);
    llvm::sys::path::remove_dots(Root, true);
    Config.SourceRoot = std::string(Root);
  }

  ChangedLines Changed;
  if (!DiffFile.empty()) {
    std::string Text;
    if (!readFile(DiffFile, Text, Err) ||
        !Changed.addDiff(Text, Config.SourceRoot, Err)) {
      error("--diff: " + Err);
      return 2;
    }
  }
  if (!LineFilter.empty() &&
      !Changed.addLineFilter(LineFilter, Config.SourceRoot, Err)) {
    error("--line-filter: " + Err);
    return 2;
  }
  if (!DiffFile.empty() || !LineFilter.empty())
    Config.Changed = &Changed;
  std::set<std::string> Known;
  if (!Baseline.empty()) {
    if (!readBaseline(Baseline, Known, Err)) {
      error("--baseline: " + Err);
      return 2;
    }
    Config.Known = &Known;
  }
  unsigned ShardIndex = 0, ShardCount = 1;
  if (!Shard.empty()) {
    auto [K, N] = llvm::StringRef(Shard).split('/');
    if (K.getAsInteger(10, ShardIndex) || N.getAsInteger(10, ShardCount) ||
        ShardCount == 0 || ShardIndex == 0 || ShardIndex > ShardCount) {
      error("--shard takes K/N with 1 <= K <= N, e.g. 2/4");
      return 2;
    }
    --ShardIndex;
  }
  std::vector<std::string> ExtraFlags;
  if (!WdkRoot.empty()) {
    ExtraFlags = wdkFlags(WdkRoot, Err);
    if (ExtraFlags.empty()) {
      error("--wdk: " + Err);
      return 2;
    }
  }

  // --vcxproj: the project's (or the solution's projects') commands are the
  // database; its errors are the run's, and the rest is still analysed.
  std::unique_ptr<ProjectDatabase> Project;
  std::vector<RunErrorRecord> ProjectErrors;
  WdkLayout Wdk;
  if (VcxprojFile.empty()) {
    if (!ExportCommands.empty() || !ConfigurationOpt.empty() ||
        !PlatformOpt.empty() || !MsBuildProperties.empty()) {
      error("--configuration, --platform, --msbuild-property and "
            "--export-compile-commands are for --vcxproj");
      return 2;
    }
  } else {
    if (HasBuildPath || HasFlags) {
      error("--vcxproj gives the compile commands: it takes no -p or '--' "
            "flags (add flags with --extra-arg)");
      return 2;
    }
    MsBuildSettings Settings;
    Settings.Configuration = ConfigurationOpt;
    Settings.Platform = PlatformOpt;
    for (const std::string &P : MsBuildProperties) {
      auto [Name, Value] = llvm::StringRef(P).split('=');
      if (Name.trim().empty() || llvm::StringRef(P).find('=') ==
                                     llvm::StringRef::npos) {
        error("--msbuild-property takes NAME=VALUE, not '" + P + "'");
        return 2;
      }
      Settings.Properties.emplace_back(Name.trim().str(), Value.str());
      // As for msbuild /p:Configuration=...; the options win.
      if (Name.trim().equals_insensitive("Configuration") &&
          ConfigurationOpt.empty())
        Settings.Configuration = Value.str();
      if (Name.trim().equals_insensitive("Platform") && PlatformOpt.empty())
        Settings.Platform = Value.str();
    }
    if (!WdkRoot.empty()) {
      // The commands run in the project's directory.
      llvm::SmallString<256> Root(WdkRoot);
      llvm::sys::fs::make_absolute(Root);
      llvm::sys::path::remove_dots(Root, true);
      findWdk(Root, Wdk, Err); // found above
      Settings.Wdk = &Wdk;
    }
    Settings.Adjust = extraArgsAdjuster();
    ProjectInput Input;
    readMsBuildInput(VcxprojFile, Settings, Input);
    if (Verbose)
      for (const std::string &N : Input.Notes)
        llvm::errs() << Tool << ": note: " << N << "\n";
    ProjectErrors = std::move(Input.Errors);
    Project = std::make_unique<ProjectDatabase>(Input.Commands);
    if (!ExportCommands.empty() &&
        !writeCompileCommands(ExportCommands, *Project, Err)) {
      error(Err);
      return 2;
    }
    // The project's commands carry --wdk's flags (or the default's headers).
    ExtraFlags.clear();
    UsingDefault = false;
  }

  std::vector<std::string> Sources = Options.getSourcePathList();
  CompilationDatabase *Database = Project ? Project.get()
                                  : BuildDatabase ? BuildDatabase.get()
                                                  : &Options.getCompilations();
  std::unique_ptr<CompilationDatabase> Detected;
  if (Project) {
    // Files named on the command line choose among the project's.
    if (Sources.empty())
      Sources = Project->getAllFiles();
    for (std::string &S : Sources) {
      std::string Own = Project->find(S);
      if (!Own.empty())
        S = Own;
    }
  } else if (UsingDefault && !Sources.empty()) {
    // A compile_commands.json above the first source wins over the default,
    // but only when it really lists the file (not an interpolated guess).
    std::string Ignored;
    Detected =
        CompilationDatabase::autoDetectFromSource(Sources.front(), Ignored);
    if (Detected && hasExactEntry(*Detected, Sources.front())) {
      Database = Detected.get();
      UsingDefault = false;
    }
  }
  Config.EmbeddedDefault = UsingDefault && !HasWdk;
  if (Sources.empty() && !(Project && !ProjectErrors.empty())) {
    if (HasBuildPath) {
      // In the database's order (getAllFiles is in hash order, which
      // changes with the directory the database is in).
      std::vector<std::string> All = Database->getAllFiles();
      std::set<std::string> Listed(All.begin(), All.end()), Taken;
      for (const CompileCommand &C : Database->getAllCompileCommands()) {
        llvm::SmallString<256> Path(C.Filename);
        if (!llvm::sys::path::is_absolute(Path))
          Path = (llvm::Twine(C.Directory) + "/" + C.Filename).str();
        llvm::sys::path::remove_dots(Path, true);
        llvm::sys::path::native(Path);
        std::string P(Path);
        if (Listed.count(P) && Taken.insert(P).second)
          Sources.push_back(P);
      }
      std::sort(All.begin(), All.end());
      for (const std::string &F : All)
        if (Taken.insert(F).second)
          Sources.push_back(F);
    }
    if (Sources.empty()) {
      error(Project        ? "'" + VcxprojFile + "' compiles no files"
            : HasBuildPath ? std::string("the compilation database lists no files")
                           : std::string("no input files (see --help)"));
      return 2;
    }
  }
  if ((UsingDefault || Project) && !hasDefaultHeaders() && WdkRoot.empty())
    llvm::errs() << Tool
                 << ": note: no driver headers found for the default "
                    "configuration (install mingw-w64-x86-64-dev, or pass "
                    "--wdk=<dir> or -- -I<WDK km include dir>)\n";

  // Input errors are reported in file order with everything else.
  std::vector<FileResult> Results(Sources.size());
  std::vector<bool> Runnable(Sources.size(), false);
  for (size_t I = 0; I < Sources.size(); ++I) {
    const std::string &S = Sources[I];
    if (I % ShardCount != ShardIndex)
      continue;
    auto Fail = [&](const std::string &Msg) {
      Results[I].Diagnostics = std::string(Tool) + ": error: " + Msg + "\n";
      Results[I].Errors.push_back({S, Msg});
    };
    llvm::sys::fs::file_status Status;
    if (std::error_code EC = llvm::sys::fs::status(S, Status)) {
      Fail("cannot read '" + S + "': " + EC.message());
      continue;
    }
    if (llvm::sys::fs::is_directory(Status)) {
      Fail("'" + S + "' is a directory, not a source file");
      continue;
    }
    if (!UsingDefault && !HasFlags && !hasExactEntry(*Database, S)) {
      Fail(Project ? "'" + S + "' is not a ClCompile item of '" +
                         VcxprojFile + "'"
                   : "'" + S + "' has no entry in the compilation database");
      continue;
    }
    Runnable[I] = true;
  }

  runFiles(*Database, Sources, Runnable, Results, Config, ExtraFlags);
  DriverFacts Merged =
      secondRound(*Database, Sources, Runnable, Results, Given, Config,
                  ExtraFlags);
  if (!ExportFacts.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream FactsOut(ExportFacts, EC);
    if (EC) {
      error("cannot write '" + ExportFacts + "': " + EC.message());
      return 2;
    }
    FactsOut << Merged.toJson();
  }

  return writeResults(Results, Merged, Config, ProjectErrors);
}
