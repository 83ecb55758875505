// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A .vcxproj read as MSBuild evaluates it, for what decides how its C and
// C++ files compile: properties in document order (the project's
// PropertyGroups and those of the property sheets it imports from the tree,
// global properties first), then the ClCompile item definitions, then the
// ClCompile items with their own metadata (Include, Exclude, Remove,
// Update). SDK imports ($(VCTargetsPath)\Microsoft.Cpp.Default.props, ...)
// are not there and are skipped. Each ClCompile item becomes a clang
// command: the target of the platform, --wdk's flags or the embedded
// default's headers, the item's include directories, defines and language.
// Also the commands as a compilation database and as compile_commands.json.
// Expansion, conditions and the WDK's macros are MsbuildEval.cpp's; the
// XML is read by MsbuildXml.cpp (libxml2).
#include "Vcxproj.h"
#include "MsbuildEval.h"
#include "MsbuildXml.h"
#include "Options.h"

#include "clang/Driver/Types.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <optional>
#include <set>

using namespace clang::tooling;
using namespace dmacheck;
using namespace dmacheck::cli;
using namespace dmacheck::cli::msbuild;
using llvm::StringRef;

namespace {

/// One project evaluated for one Configuration|Platform.
class Evaluation : public Properties {
public:
  Evaluation(StringRef Path, const MsBuildSettings &Settings, ProjectInput &Out)
      : Properties(Path, Out.Notes), Settings(Settings), Out(Out) {}
  void run();

private:
  bool condition(xmlNode *N, const Scope &Sc, StringRef Base = "");
  bool chooseConfiguration(xmlNode *Root);
  void setDefaults();
  void walk(xmlNode *Parent, const std::string &File);
  void import(xmlNode *I, const std::string &File);
  void importFile(const std::string &File);
  void importNearest(StringRef FileName, StringRef Switch);
  void definitions();
  void items();
  void commands();
  struct Item {
    std::string Spec; // as the project names it
    std::string File; // resolved
    llvm::StringMap<std::string> Meta;
  };
  void applyMetadata(xmlNode *I, Item &It, const std::string &File);
  ProjectCommand command(const Item &It);
  void error(const std::string &Message) {
    Out.Errors.push_back({Path, Message});
  }

  const MsBuildSettings &Settings;
  ProjectInput &Out;
  std::string Configuration, Platform, Arch;
  std::vector<XmlDoc> Docs;
  struct Pending {
    xmlNode *Node;
    std::string File;
  };
  std::vector<Pending> DefinitionGroups, ItemGroups;
  std::set<std::string> Imported;
  bool BuildProps = false, BuildTargets = false, DroppedWdk = false;
  llvm::StringMap<std::string> ClDefinitions;
  std::vector<Item> Items;
};

/// Whether N's Condition attribute holds (none does).
bool Evaluation::condition(xmlNode *N, const Scope &Sc, StringRef Base) {
  auto Text = attribute(N, "Condition");
  return !Text || conditionHolds(*Text, Sc, Base);
}

/// The configuration: --configuration and --platform, else the project's
/// first configuration for the platform (x64 by default), spelt as the
/// project spells it.
bool Evaluation::chooseConfiguration(xmlNode *Root) {
  std::vector<std::pair<std::string, std::string>> Known;
  for (xmlNode *G : elements(Root))
    if (is(G, "ItemGroup"))
      for (xmlNode *I : elements(G))
        if (is(I, "ProjectConfiguration"))
          if (auto Spec = attribute(I, "Include")) {
            auto [C, P] = StringRef(*Spec).split('|');
            Known.emplace_back(C.trim().str(), P.trim().str());
          }
  Platform = Settings.Platform.empty() ? "x64" : Settings.Platform;
  Configuration = Settings.Configuration;
  // A solution's "x86" is a C++ project's "Win32".
  auto SamePlatform = [](StringRef A, StringRef B) {
    auto Canon = [](StringRef X) {
      return X.equals_insensitive("x86") ? StringRef("win32") : X;
    };
    return Canon(A).equals_insensitive(Canon(B));
  };
  if (Configuration.empty()) {
    for (auto &[C, P] : Known)
      if (SamePlatform(P, Platform)) {
        Configuration = C;
        break;
      }
    if (Configuration.empty())
      Configuration = Known.empty() ? "Debug" : Known.front().first;
  }
  if (!Known.empty()) {
    auto Match = llvm::find_if(Known, [&](const auto &K) {
      return StringRef(K.first).equals_insensitive(Configuration) &&
             SamePlatform(K.second, Platform);
    });
    if (Match == Known.end()) {
      std::string Have;
      for (auto &[C, P] : Known)
        Have += (Have.empty() ? "" : ", ") + C + "|" + P;
      error("'" + Path + "' has no configuration '" + Configuration + "|" +
            Platform + "' (it has " + Have + ")");
      return false;
    }
    Configuration = Match->first;
    Platform = Match->second;
  }
  Arch = platformArch(Platform);
  if (Arch.empty()) {
    error("'" + Path + "': platform '" + Platform +
          "' is not supported (x64, Win32, ARM64)");
    return false;
  }
  return true;
}

/// What MSBuild and the toolset would have defined before the project: the
/// project's directory and name, the intermediate directory, and the WDK's
/// macros (--wdk's directories, or nothing there).
void Evaluation::setDefaults() {
  for (const auto &[K, V] : Settings.Properties)
    Globals[StringRef(K).lower()] = V;
  Globals["configuration"] = Configuration;
  Globals["platform"] = Platform;
  std::string ProjectDir = Dir + "/";
  Defaults["projectdir"] = ProjectDir;
  Defaults["projectname"] = Name;
  Defaults["projectpath"] = Path;
  Defaults["projectfilename"] = llvm::sys::path::filename(Path).str();
  Defaults["projectext"] = llvm::sys::path::extension(Path).str();
  Defaults["solutiondir"] = ProjectDir;
  Defaults["targetname"] = Name;
  bool Win32 = platformArch(Platform) == "i686";
  Defaults["intdir"] =
      Win32 ? "$(Configuration)\\" : "$(Platform)\\$(Configuration)\\";
  Defaults["outdir"] = Win32 ? "$(SolutionDir)$(Configuration)\\"
                             : "$(SolutionDir)$(Platform)\\$(Configuration)\\";
  Defaults["kmdf_ver_path"] = "$(KMDF_VERSION_MAJOR).$(KMDF_VERSION_MINOR)";
  defineWdkMacros(Settings.Wdk);
}

/// Pass 1: properties and imports in document order; item definitions and
/// items are kept for the later passes, which see the final properties.
void Evaluation::walk(xmlNode *Parent, const std::string &File) {
  Scope Sc{File};
  for (xmlNode *C : elements(Parent)) {
    if (is(C, "PropertyGroup")) {
      if (!condition(C, Sc))
        continue;
      for (xmlNode *P : elements(C))
        if (condition(P, Sc))
          Props[StringRef(nameOf(P)).lower()] = expand(textOf(P), Sc);
    } else if (is(C, "Import")) {
      import(C, File);
    } else if (is(C, "ImportGroup")) {
      if (!condition(C, Sc))
        continue;
      for (xmlNode *I : elements(C))
        if (is(I, "Import"))
          import(I, File);
    } else if (is(C, "ItemDefinitionGroup")) {
      DefinitionGroups.push_back({C, File});
    } else if (is(C, "ItemGroup")) {
      ItemGroups.push_back({C, File});
    } else if (is(C, "Choose")) {
      for (xmlNode *W : elements(C)) {
        if (is(W, "When") && condition(W, Sc)) {
          walk(W, File);
          break;
        }
        if (is(W, "Otherwise")) {
          walk(W, File);
          break;
        }
      }
    }
  }
}

/// An <Import>: read when it is in the tree; an SDK's (a path made of
/// properties nothing defines, such as $(VCTargetsPath)) or a missing one is
/// skipped. Where Microsoft.Cpp.Default.props and Microsoft.Cpp.targets
/// would have imported Directory.Build.props and .targets, those are.
void Evaluation::import(xmlNode *I, const std::string &File) {
  std::string Base = llvm::sys::path::parent_path(File).str();
  if (!condition(I, Scope{File}, Base))
    return;
  auto Spec = attribute(I, "Project");
  if (!Spec)
    return;
  bool Undefined = false;
  std::string Expanded = expand(*Spec, Scope{File}, &Undefined);
  for (const std::string &Entry : splitList(Expanded)) {
    std::string Leaf = llvm::sys::path::filename(slashes(Entry)).str();
    std::string Target;
    if (!Undefined && !StringRef(Entry).contains(NoWdk) &&
        Entry.find_first_of("*?") == std::string::npos)
      Target = resolveMsBuildPath(Base, unescape(Entry));
    if (!Target.empty() && llvm::sys::fs::is_regular_file(Target)) {
      importFile(Target);
      continue;
    }
    note("import '" + *Spec + "' is not in the tree; skipped");
    if (StringRef(Leaf).equals_insensitive("Microsoft.Cpp.Default.props") &&
        !BuildProps) {
      BuildProps = true;
      importNearest("Directory.Build.props", "ImportDirectoryBuildProps");
    } else if (StringRef(Leaf).equals_insensitive("Microsoft.Cpp.targets") &&
               !BuildTargets) {
      BuildTargets = true;
      importNearest("Directory.Build.targets", "ImportDirectoryBuildTargets");
    }
  }
}

void Evaluation::importFile(const std::string &File) {
  if (!Imported.insert(File).second) {
    note("'" + File + "' is imported again; skipped");
    return;
  }
  std::string Err;
  XmlDoc Doc = readXml(File, "property sheet", Err);
  if (!Doc) {
    error(Err + " (imported by '" + Path + "')");
    return;
  }
  note("reads '" + File + "'");
  xmlNode *Root = xmlDocGetRootElement(Doc.get());
  Docs.push_back(std::move(Doc));
  walk(Root, File);
}

/// The nearest FileName in the project's directory or above it.
void Evaluation::importNearest(StringRef FileName, StringRef Switch) {
  bool Defined;
  if (StringRef(lookup(Switch, Scope{Path}, Defined, 0))
          .trim()
          .equals_insensitive("false"))
    return;
  for (StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    std::string Candidate = joinPath(D, FileName);
    if (llvm::sys::fs::is_regular_file(Candidate)) {
      importFile(Candidate);
      return;
    }
    if (D == llvm::sys::path::root_path(D))
      break;
  }
}

/// Pass 2: the ClCompile item definitions, each value able to name the one
/// before it (%(PreprocessorDefinitions)).
void Evaluation::definitions() {
  for (const Pending &G : DefinitionGroups) {
    Scope Sc{G.File};
    if (!condition(G.Node, Sc))
      continue;
    for (xmlNode *D : elements(G.Node)) {
      if (!is(D, "ClCompile") || !condition(D, Sc))
        continue;
      for (xmlNode *M : elements(D)) {
        if (!condition(M, Sc))
          continue;
        Scope MS{G.File, &ClDefinitions};
        std::string V = expand(textOf(M), MS);
        ClDefinitions[StringRef(nameOf(M)).lower()] = V;
      }
    }
  }
}

void Evaluation::applyMetadata(xmlNode *I, Item &It, const std::string &File) {
  Scope Sc{File, &It.Meta, It.Spec, It.File};
  // Metadata as attributes (MSBuild 15), then as child elements.
  static const char *const NotMetadata[] = {
      "Include", "Exclude",        "Remove",         "Update",
      "Condition", "KeepMetadata", "RemoveMetadata", "KeepDuplicates",
      "MatchOnMetadata", "MatchOnMetadataOptions", "Label"};
  for (xmlAttr *A = I->properties; A; A = A->next) {
    std::string N = reinterpret_cast<const char *>(A->name);
    if (llvm::is_contained(NotMetadata, N))
      continue;
    if (auto V = attribute(I, N.c_str()))
      It.Meta[StringRef(N).lower()] = expand(*V, Sc);
  }
  for (xmlNode *M : elements(I))
    if (condition(M, Sc))
      It.Meta[StringRef(nameOf(M)).lower()] = expand(textOf(M), Sc);
}

/// Pass 3: the ClCompile items (Include, Exclude, Remove, Update).
void Evaluation::items() {
  auto Resolve = [&](StringRef Spec) {
    return resolveMsBuildPath(Dir, unescape(Spec));
  };
  for (const Pending &G : ItemGroups) {
    Scope Sc{G.File};
    if (!condition(G.Node, Sc))
      continue;
    for (xmlNode *I : elements(G.Node)) {
      if (!is(I, "ClCompile") || !condition(I, Sc))
        continue;
      if (auto Include = attribute(I, "Include")) {
        std::set<std::string> Excluded;
        if (auto Exclude = attribute(I, "Exclude"))
          for (const std::string &E : splitList(expand(*Exclude, Sc)))
            Excluded.insert(Resolve(E));
        for (const std::string &Spec : splitList(expand(*Include, Sc))) {
          if (Spec.find_first_of("*?") != std::string::npos) {
            error("'" + Path + "': ClCompile item '" + Spec +
                  "' has a wildcard; dmacheck reads only named files");
            continue;
          }
          Item It;
          It.Spec = unescape(Spec);
          It.File = Resolve(Spec);
          if (Excluded.count(It.File))
            continue;
          for (const auto &D : ClDefinitions)
            It.Meta[D.getKey()] = D.getValue();
          applyMetadata(I, It, G.File);
          Items.push_back(std::move(It));
        }
      } else if (auto Remove = attribute(I, "Remove")) {
        std::set<std::string> Gone;
        for (const std::string &Spec : splitList(expand(*Remove, Sc)))
          Gone.insert(Resolve(Spec));
        llvm::erase_if(Items, [&](const Item &It) { return Gone.count(It.File); });
      } else if (auto Update = attribute(I, "Update")) {
        std::set<std::string> Which;
        for (const std::string &Spec : splitList(expand(*Update, Sc)))
          Which.insert(Resolve(Spec));
        for (Item &It : Items)
          if (Which.count(It.File))
            applyMetadata(I, It, G.File);
      }
    }
  }
}

/// The language cl.exe gives the item: CompileAs, else C for a .c file
/// and C++ for the others.
bool compilesAsCxx(StringRef File, StringRef CompileAs) {
  CompileAs = CompileAs.trim();
  if (CompileAs.equals_insensitive("CompileAsC"))
    return false;
  if (CompileAs.substr(0, 12).equals_insensitive("CompileAsCpp"))
    return true;
  return !llvm::sys::path::extension(File).equals_insensitive(".c");
}

ProjectCommand Evaluation::command(const Item &It) {
  auto Meta = [&](StringRef Key) -> std::string {
    auto M = It.Meta.find(Key);
    return M == It.Meta.end() ? std::string() : M->second;
  };
  const WdkLayout *W = Settings.Wdk;
  bool Cxx = compilesAsCxx(It.File, Meta("compileas"));
  std::vector<std::string> A = {"clang", "--target=" + Arch +
                                             (W ? "-pc-windows-msvc"
                                                : "-w64-mingw32")};
  std::set<std::string> Have; // include directories already searched
  if (W) {
    for (std::string &F : wdkFlags(*W))
      A.push_back(std::move(F));
    Have.insert(W->Includes.begin(), W->Includes.end());
    // The toolset adds KMDF's headers to a KMDF driver.
    bool Defined;
    if (StringRef(lookup("DriverType", Scope{Path}, Defined, 0))
            .trim()
            .equals_insensitive("KMDF")) {
      std::string Kmdf = joinPath(W->Root, "Include/wdf/kmdf");
      std::string Major = lookup("KMDF_VERSION_MAJOR", Scope{Path}, Defined, 0);
      std::string Minor = lookup("KMDF_VERSION_MINOR", Scope{Path}, Defined, 0);
      std::string Version =
          Major.empty() || Minor.empty() ? "" : Major + "." + Minor;
      if (Version.empty()) {
        // The newest the kit has.
        std::error_code EC;
        for (llvm::sys::fs::directory_iterator D(Kmdf, EC), End;
             D != End && !EC; D.increment(EC))
          if (llvm::sys::path::filename(D->path()).str() > Version)
            Version = llvm::sys::path::filename(D->path()).str();
      }
      std::string KmdfDir = joinPath(Kmdf, Version);
      if (!Version.empty() && llvm::sys::fs::is_directory(KmdfDir) &&
          Have.insert(KmdfDir).second)
        A.push_back("-isystem" + KmdfDir);
    }
  } else {
    std::vector<std::string> Sysroots;
    for (std::string &F : defaultFlags())
      if (StringRef(F).substr(0, 9) != "--target=") {
        if (StringRef(F).substr(0, 8) == "-isystem") {
          Have.insert(F.substr(8));
          Sysroots.push_back(llvm::sys::path::parent_path(F.substr(8)).str());
        }
        A.push_back(std::move(F));
      }
    // Clang finds mingw-w64's headers in /usr/<triple>/include by itself;
    // for another architecture than the installed one's, the same headers
    // (mingw-w64's are one set for every architecture) are named.
    if (!llvm::sys::fs::is_directory("/usr/" + Arch + "-w64-mingw32/include"))
      for (const std::string &S : Sysroots)
        if (!S.empty() && Have.insert(S).second)
          A.push_back("-isystem" + S);
    if (Cxx)
      for (std::string &F : defaultCxxFlags())
        A.push_back(std::move(F));
  }
  // The item's include directories, then the project's VC++ directories.
  bool Defined;
  std::string Includes = Meta("additionalincludedirectories") + ";" +
                         lookup("IncludePath", Scope{Path}, Defined, 0) + ";" +
                         lookup("ExternalIncludePath", Scope{Path}, Defined, 0);
  for (const std::string &E : splitList(Includes)) {
    if (StringRef(E).contains(NoWdk)) {
      DroppedWdk = true;
      continue;
    }
    std::string D = resolveMsBuildPath(Dir, unescape(E));
    if (Have.insert(D).second)
      A.push_back("-I" + D);
  }
  auto Plain = [](std::string S) {
    S.erase(std::remove(S.begin(), S.end(), NoWdk), S.end());
    return unescape(S);
  };
  for (const std::string &E : splitList(Meta("preprocessordefinitions"))) {
    std::string D = Plain(E);
    if (D.find('=') == std::string::npos && D.find('#') != std::string::npos)
      D[D.find('#')] = '='; // cl's /DNAME#VALUE
    A.push_back("-D" + D);
  }
  for (const std::string &E : splitList(Meta("undefinepreprocessordefinitions")))
    A.push_back("-U" + Plain(E));
  for (const std::string &E : splitList(Meta("forcedincludefiles"))) {
    std::string F = resolveMsBuildPath(Dir, Plain(E));
    A.push_back("-include");
    A.push_back(llvm::sys::fs::exists(F) ? F : slashes(Plain(E)));
  }
  if (W)
    for (std::string &D : wdkArchDefines(A))
      A.push_back(std::move(D));
  // The language, when clang would not take the same from the extension.
  using namespace clang::driver;
  StringRef Ext = llvm::sys::path::extension(It.File);
  types::ID Type = types::lookupTypeForExtension(Ext.empty() ? Ext : Ext.drop_front());
  bool Same = Cxx ? Type != types::TY_INVALID && types::isCXX(Type)
                  : Type == types::TY_C;
  if (!Same) {
    A.push_back("-x");
    A.push_back(Cxx ? "c++" : "c");
  }
  A.push_back("-c");
  A.push_back(It.File);
  if (Settings.Adjust)
    A = Settings.Adjust(A, It.File);
  return {It.File, Dir, std::move(A), Path};
}

/// A project that says it builds user-mode code: an application or a DLL
/// (ConfigurationType), or a user-mode toolset or driver type, and nothing
/// that says kernel mode (a Driver, the kernel-mode toolset, WDM or KMDF).
bool userMode(StringRef Type, StringRef Toolset, StringRef Driver) {
  Type = Type.trim();
  Toolset = Toolset.trim();
  Driver = Driver.trim();
  auto Begins = [](StringRef S, StringRef P) {
    return S.substr(0, P.size()).equals_insensitive(P);
  };
  if (Type.equals_insensitive("Driver") ||
      Begins(Toolset, "WindowsKernelModeDriver") ||
      Driver.equals_insensitive("WDM") || Driver.equals_insensitive("KMDF"))
    return false;
  return Type.equals_insensitive("Application") ||
         Type.equals_insensitive("DynamicLibrary") ||
         Begins(Toolset, "WindowsApplicationForDrivers") ||
         Begins(Toolset, "WindowsUserModeDriver") ||
         Driver.equals_insensitive("UMDF");
}

void Evaluation::commands() {
  std::set<std::string> Seen;
  size_t Before = Out.Commands.size();
  bool Defined;
  std::string Type = lookup("ConfigurationType", Scope(Path), Defined, 0);
  std::string Toolset = lookup("PlatformToolset", Scope(Path), Defined, 0);
  if (Settings.SkipUserMode &&
      userMode(Type, Toolset, lookup("DriverType", Scope(Path), Defined, 0))) {
    Out.Notes.push_back("'" + Path + "' (" + Configuration + "|" + Platform +
                        ") builds user-mode code (ConfigurationType '" + Type +
                        "', PlatformToolset '" + Toolset + "'); skipped");
    return;
  }
  for (const Item &It : Items) {
    if (!Seen.insert(It.File).second)
      continue;
    auto Excluded = It.Meta.find("excludedfrombuild");
    if (Excluded != It.Meta.end() && isTrue(Excluded->second)) {
      note("'" + It.Spec + "' is excluded from the build in " +
           Configuration + "|" + Platform);
      continue;
    }
    if (!llvm::sys::fs::is_regular_file(It.File)) {
      error("'" + Path + "': ClCompile item '" + It.Spec +
            "' does not exist (no file '" + It.File + "')");
      continue;
    }
    Out.Commands.push_back(command(It));
  }
  if (DroppedWdk)
    note("include directories named by WDK macros are left out (no --wdk); "
         "the embedded default's headers are used");
  Out.Notes.push_back("'" + Path + "' (" + Configuration + "|" + Platform +
                      "): " +
                      std::to_string(Out.Commands.size() - Before) +
                      " file(s) to analyse");
}

void Evaluation::run() {
  std::string Err;
  XmlDoc Doc = readXml(Path, "project", Err);
  if (!Doc) {
    Out.Errors.push_back({Path, Settings.Solution.empty()
                                    ? Err
                                    : Err + " (listed in '" +
                                          Settings.Solution + "')"});
    return;
  }
  Imported.insert(Path);
  xmlNode *Root = xmlDocGetRootElement(Doc.get());
  Docs.push_back(std::move(Doc));
  if (!chooseConfiguration(Root))
    return;
  setDefaults();
  walk(Root, Path);
  definitions();
  items();
  commands();
}

} // namespace

void cli::readVcxproj(StringRef Path, const MsBuildSettings &Settings,
                      ProjectInput &Out) {
  xmlInitParser();
  llvm::SmallString<256> Full(Path);
  llvm::sys::fs::make_absolute(Full);
  llvm::sys::path::remove_dots(Full, true);
  Evaluation(Full, Settings, Out).run();
}

static std::string normalPath(StringRef P) {
  llvm::SmallString<256> A(P);
  llvm::sys::fs::make_absolute(A);
  llvm::sys::path::remove_dots(A, true);
  return std::string(A);
}

ProjectDatabase::ProjectDatabase(const std::vector<ProjectCommand> &From) {
  for (const ProjectCommand &C : From) {
    std::string Key = normalPath(C.File);
    if (Index.count(Key))
      continue; // a file two projects compile: the first one's command
    Index[Key] = Commands.size();
    llvm::SmallString<256> Real;
    if (!llvm::sys::fs::real_path(Key, Real))
      Index.try_emplace(Real, Commands.size());
    Commands.emplace_back(C.Directory, C.File, C.Arguments, "");
  }
}

std::string ProjectDatabase::find(StringRef File) const {
  std::string Key = normalPath(File);
  auto I = Index.find(Key);
  if (I == Index.end()) {
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(Key, Real))
      return "";
    I = Index.find(Real);
    if (I == Index.end())
      return "";
  }
  return Commands[I->second].Filename;
}

std::vector<CompileCommand>
ProjectDatabase::getCompileCommands(StringRef FilePath) const {
  std::string Name = find(FilePath);
  if (Name.empty())
    return {};
  return {Commands[Index.find(normalPath(Name))->second]};
}

std::vector<std::string> ProjectDatabase::getAllFiles() const {
  std::vector<std::string> Files;
  for (const CompileCommand &C : Commands)
    Files.push_back(C.Filename);
  return Files;
}

std::vector<CompileCommand> ProjectDatabase::getAllCompileCommands() const {
  return Commands;
}

bool cli::writeCompileCommands(StringRef Path, const CompilationDatabase &DB,
                               std::string &Error) {
  llvm::json::Array Entries;
  for (const CompileCommand &C : DB.getAllCompileCommands()) {
    llvm::json::Array Arguments;
    for (const std::string &A : C.CommandLine)
      Arguments.push_back(A);
    Entries.push_back(llvm::json::Object{{"directory", C.Directory},
                                         {"file", C.Filename},
                                         {"arguments", std::move(Arguments)}});
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC) {
    Error = "cannot write '" + Path.str() + "': " + EC.message();
    return false;
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Entries))) << "\n";
  return true;
}
