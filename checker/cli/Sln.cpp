// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A Visual Studio solution (.sln, the text format of "Microsoft Visual
// Studio Solution File, Format Version 12.00"): its Project lines
// (Project("{type}") = "name", "path\to\x.vcxproj", "{guid}"), its
// solution configurations (SolutionConfigurationPlatforms) and what each
// maps a project to (ProjectConfigurationPlatforms: {guid}.Release|x64.
// ActiveCfg = Release|x64, and .Build.0 when the project is built). Each
// C/C++ project built in the chosen solution configuration is read by
// Vcxproj.cpp with SolutionDir and the other solution properties set.
#include "Sln.h"
#include "MsbuildEval.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

using namespace dmacheck;
using namespace dmacheck::cli;
using llvm::StringRef;

namespace {

struct SlnProject {
  std::string Type, Name, Path, Guid;
};

/// The quoted strings of a line, in order.
std::vector<std::string> quoted(StringRef Line) {
  std::vector<std::string> R;
  while (true) {
    size_t Open = Line.find('"');
    if (Open == StringRef::npos)
      break;
    size_t Close = Line.find('"', Open + 1);
    if (Close == StringRef::npos)
      break;
    R.push_back(Line.slice(Open + 1, Close).str());
    Line = Line.substr(Close + 1);
  }
  return R;
}

/// A solution's "x86" is a C++ project's "Win32", and the other way round.
bool samePlatform(StringRef A, StringRef B) {
  auto Canon = [](StringRef X) {
    return X.equals_insensitive("x86") ? StringRef("win32") : X;
  };
  return Canon(A).equals_insensitive(Canon(B));
}

bool sameConfiguration(StringRef A, StringRef B) {
  auto [AC, AP] = A.split('|');
  auto [BC, BP] = B.split('|');
  return AC.trim().equals_insensitive(BC.trim()) &&
         samePlatform(AP.trim(), BP.trim());
}

// The solution folder's project type: a folder, not a project.
constexpr const char *FolderType = "{2150E333-8FDC-42A3-9474-1A3956D46DE8}";

} // namespace

void cli::readSolution(StringRef Path, const MsBuildSettings &Settings,
                       ProjectInput &Out) {
  llvm::SmallString<256> Full(Path);
  llvm::sys::fs::make_absolute(Full);
  llvm::sys::path::remove_dots(Full, true);
  std::string Sln(Full);
  auto Fail = [&](const std::string &Message) {
    Out.Errors.push_back({Sln, Message});
  };
  auto Buffer = llvm::MemoryBuffer::getFile(Sln, /*IsText=*/true);
  if (!Buffer) {
    Fail("cannot read solution '" + Sln + "': " + Buffer.getError().message());
    return;
  }
  StringRef Text = (*Buffer)->getBuffer();
  Text.consume_front("\xEF\xBB\xBF"); // UTF-8 byte order mark
  llvm::SmallVector<StringRef, 64> Lines;
  Text.split(Lines, '\n');
  std::vector<SlnProject> Projects;
  std::vector<std::string> Configurations;
  // Per project GUID (upper case): solution configuration (lower case) ->
  // the project's, and the solution configurations that build it.
  std::map<std::string, std::map<std::string, std::string>> Active;
  std::map<std::string, std::set<std::string>> Built;
  bool Header = false;
  enum { None, SolutionConfigs, ProjectConfigs } Section = None;
  for (StringRef Line : Lines) {
    Line = Line.trim();
    if (Line.empty() || Line.front() == '#')
      continue;
    if (!Header) {
      if (!Line.contains("Microsoft Visual Studio Solution File")) {
        Fail("'" + Sln +
             "' is not a Visual Studio solution (no \"Microsoft Visual "
             "Studio Solution File\" header)");
        return;
      }
      Header = true;
      continue;
    }
    if (Line.substr(0, 9) == "Project(\"") {
      std::vector<std::string> Q = quoted(Line);
      if (Q.size() < 4) {
        Fail("'" + Sln + "': a Project line it does not understand: " +
             Line.str());
        continue;
      }
      Projects.push_back({Q[0], Q[1], Q[2], StringRef(Q[3]).upper()});
      continue;
    }
    if (Line.substr(0, 14) == "GlobalSection(") {
      StringRef Name = Line.drop_front(14).split(')').first.trim();
      Section = Name == "SolutionConfigurationPlatforms" ? SolutionConfigs
                : Name == "ProjectConfigurationPlatforms" ? ProjectConfigs
                                                          : None;
      continue;
    }
    if (Line == "EndGlobalSection") {
      Section = None;
      continue;
    }
    auto [Key, Value] = Line.split('=');
    Key = Key.trim();
    Value = Value.trim();
    if (Section == SolutionConfigs) {
      Configurations.push_back(Key.str());
    } else if (Section == ProjectConfigs && Key.substr(0, 1) == "{") {
      auto [Guid, Rest] = Key.split('}');
      std::string G = StringRef(Guid.str() + "}").upper();
      Rest.consume_front(".");
      if (Rest.consume_back(".ActiveCfg"))
        Active[G][Rest.lower()] = Value.str();
      else if (Rest.consume_back(".Build.0"))
        Built[G].insert(Rest.lower());
    }
  }
  if (!Header) {
    Fail("'" + Sln + "' is empty, not a Visual Studio solution");
    return;
  }

  // The solution configuration: --configuration and --platform, else the
  // solution's first for the platform (x64 by default).
  std::string Platform = Settings.Platform.empty() ? "x64" : Settings.Platform;
  std::string Configuration = Settings.Configuration;
  if (Configuration.empty()) {
    for (const std::string &C : Configurations) {
      auto [CC, CP] = StringRef(C).split('|');
      if (samePlatform(CP.trim(), Platform)) {
        Configuration = CC.trim().str();
        break;
      }
    }
    if (Configuration.empty())
      Configuration = Configurations.empty()
                          ? "Debug"
                          : StringRef(Configurations.front())
                                .split('|')
                                .first.trim()
                                .str();
  }
  std::string Chosen = Configuration + "|" + Platform;
  if (!Configurations.empty()) {
    auto Match = llvm::find_if(Configurations, [&](const std::string &C) {
      return sameConfiguration(C, Chosen);
    });
    if (Match == Configurations.end()) {
      std::string Have;
      for (const std::string &C : Configurations)
        Have += (Have.empty() ? "" : ", ") + C;
      Fail("solution '" + Sln + "' has no configuration '" + Chosen +
           "' (it has " + Have + ")");
      return;
    }
    Chosen = *Match;
  }
  std::string ChosenKey = StringRef(Chosen).lower();

  StringRef Dir = llvm::sys::path::parent_path(Sln);
  MsBuildSettings Project = Settings;
  Project.Solution = Sln;
  Project.SkipUserMode = true;
  // The solution's properties, as MSBuild sets them when it builds one; the
  // user's --msbuild-property come after them and win.
  Project.Properties = {
      {"SolutionDir", Dir.str() + "/"},
      {"SolutionPath", Sln},
      {"SolutionName", llvm::sys::path::stem(Sln).str()},
      {"SolutionFileName", llvm::sys::path::filename(Sln).str()},
      {"SolutionExt", llvm::sys::path::extension(Sln).str()}};
  Project.Properties.insert(Project.Properties.end(),
                            Settings.Properties.begin(),
                            Settings.Properties.end());
  size_t Read = 0;
  for (const SlnProject &P : Projects) {
    if (StringRef(P.Type).equals_insensitive(FolderType))
      continue;
    if (!llvm::sys::path::extension(P.Path).equals_insensitive(".vcxproj")) {
      Out.Notes.push_back("'" + Sln + "': '" + P.Name +
                          "' is not a C/C++ project (" + P.Path +
                          "); skipped");
      continue;
    }
    // The project configuration the solution's maps it to, else the same.
    std::string Mapped = Chosen;
    auto A = Active.find(P.Guid);
    if (A != Active.end()) {
      auto M = A->second.find(ChosenKey);
      if (M != A->second.end()) {
        if (!Built[P.Guid].count(ChosenKey)) {
          Out.Notes.push_back("'" + Sln + "': '" + P.Name +
                              "' is not built in " + Chosen + "; skipped");
          continue;
        }
        Mapped = M->second;
      }
    }
    auto [PC, PP] = StringRef(Mapped).split('|');
    Project.Configuration = PC.trim().str();
    Project.Platform = PP.trim().str();
    readVcxproj(resolveMsBuildPath(Dir, P.Path), Project, Out);
    ++Read;
  }
  Out.Notes.push_back("'" + Sln + "' (" + Chosen + "): " +
                      std::to_string(Read) + " C/C++ project(s)");
}

void cli::readMsBuildInput(StringRef Path, const MsBuildSettings &Settings,
                           ProjectInput &Out) {
  if (llvm::sys::path::extension(Path).equals_insensitive(".sln"))
    readSolution(Path, Settings, Out);
  else
    readVcxproj(Path, Settings, Out);
}
