// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A .vcxproj read as MSBuild evaluates it, for what decides how its C and
// C++ files compile: properties in document order (the project's
// PropertyGroups and those of the property sheets it imports from the tree,
// global properties first), then the ClCompile item definitions, then the
// ClCompile items with their own metadata; Conditions ('$(Configuration)|
// $(Platform)'=='Release|x64', ==, !=, <, >, and, or, !, Exists(),
// HasTrailingSlash()) and $(Property) / %(Metadata) expansion. SDK imports
// ($(VCTargetsPath)\Microsoft.Cpp.Default.props, ...) are not there and are
// skipped; the WDK's macros ($(KM_IncludePath), ...) name --wdk's
// directories. Each ClCompile item becomes a clang command: the target of
// the platform, --wdk's flags or the embedded default's headers, the item's
// include directories, defines and language. Also the commands as a
// compilation database and as compile_commands.json. The XML is parsed by
// libxml2.
#include "Vcxproj.h"
#include "Options.h"

#include "clang/Driver/Types.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

using namespace clang::tooling;
using namespace dmacheck;
using namespace dmacheck::cli;
using llvm::StringRef;

namespace {

/// What a WDK macro expands to when no --wdk says where the kit is: an
/// include directory that contains it is dropped, and an import or Exists()
/// that does is not there. (A control character, which no XML text holds.)
constexpr char NoWdk = '\x1f';

/// The WDK's macros for its include directories (WindowsDriver.Common.props
/// and the toolset define them; the project only names them).
enum class WdkDir { Root, Version, Km, KmCrt, Shared, Um, Kmdf, Umdf };
struct WdkMacro {
  const char *Name;
  WdkDir Dir;
};
const WdkMacro WdkMacros[] = {
    {"WDKContentRoot", WdkDir::Root},
    {"WindowsSdkDir", WdkDir::Root},
    {"WindowsSdkDir_10", WdkDir::Root},
    {"TargetPlatformVersion", WdkDir::Version},
    {"WindowsTargetPlatformVersion", WdkDir::Version},
    {"LatestTargetPlatformVersion", WdkDir::Version},
    {"KM_IncludePath", WdkDir::Km},
    {"DDK_INC_PATH", WdkDir::Km},
    {"WDM_INC_PATH", WdkDir::Km},
    {"IFS_INC_PATH", WdkDir::Km},
    {"CRT_IncludePath", WdkDir::KmCrt},
    {"CRT_INC_PATH", WdkDir::KmCrt},
    {"KIT_SHARED_IncludePath", WdkDir::Shared},
    {"KIT_SHARED_INC_PATH", WdkDir::Shared},
    {"UM_IncludePath", WdkDir::Um},
    {"SDK_INC_PATH", WdkDir::Um},
    {"KMDF_INC_PATH", WdkDir::Kmdf},
    {"UMDF_INC_PATH", WdkDir::Umdf},
};

std::string joinPath(StringRef A, StringRef B) {
  llvm::SmallString<256> P(A);
  llvm::sys::path::append(P, B);
  return std::string(P);
}

std::string slashes(StringRef S) {
  std::string R = S.str();
  std::replace(R.begin(), R.end(), '\\', '/');
  return R;
}

/// An entry of a list, without the quotes MSBuild allows around it.
StringRef unquote(StringRef S) {
  S = S.trim();
  if (S.size() >= 2 && S.front() == '"' && S.back() == '"')
    S = S.drop_front().drop_back().trim();
  return S;
}

/// MSBuild's escapes: %3B is ';', %24 '$', %25 '%', ...
std::string unescape(StringRef S) {
  std::string R;
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] == '%' && I + 2 < S.size() && llvm::isHexDigit(S[I + 1]) && llvm::isHexDigit(S[I + 2])) {
      R += char(llvm::hexFromNibbles(S[I + 1], S[I + 2]));
      I += 2;
      continue;
    }
    R += S[I];
  }
  return R;
}

/// A ';' list: its entries, trimmed, the empty ones left out.
std::vector<std::string> splitList(StringRef S) {
  llvm::SmallVector<StringRef, 8> Parts;
  S.split(Parts, ';');
  std::vector<std::string> R;
  for (StringRef P : Parts)
    if (!unquote(P).empty())
      R.push_back(unquote(P).str());
  return R;
}

bool isTrue(StringRef S) {
  S = S.trim();
  return S.equals_insensitive("true") || S.equals_insensitive("yes") ||
         S.equals_insensitive("on");
}

bool isIdentifier(StringRef S) {
  if (S.empty() || !(llvm::isAlpha(S[0]) || S[0] == '_'))
    return false;
  return llvm::all_of(S, [](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '-';
  });
}

/// The parenthesis that closes the one at Open, or npos.
size_t closing(StringRef S, size_t Open) {
  int Depth = 0;
  bool Quoted = false;
  for (size_t I = Open; I < S.size(); ++I) {
    if (S[I] == '\'')
      Quoted = !Quoted;
    else if (Quoted)
      continue;
    else if (S[I] == '(')
      ++Depth;
    else if (S[I] == ')' && --Depth == 0)
      return I;
  }
  return StringRef::npos;
}

// libxml2, through the few calls needed.
struct DocFree {
  void operator()(xmlDoc *D) const { xmlFreeDoc(D); }
};
using XmlDoc = std::unique_ptr<xmlDoc, DocFree>;

bool is(const xmlNode *N, const char *Name) {
  return N->type == XML_ELEMENT_NODE && xmlStrEqual(N->name, BAD_CAST Name);
}
std::string nameOf(const xmlNode *N) {
  return reinterpret_cast<const char *>(N->name);
}
std::vector<xmlNode *> elements(const xmlNode *N) {
  std::vector<xmlNode *> R;
  for (xmlNode *C = N->children; C; C = C->next)
    if (C->type == XML_ELEMENT_NODE)
      R.push_back(C);
  return R;
}
std::string textOf(xmlNode *N) {
  xmlChar *C = xmlNodeGetContent(N);
  std::string S = C ? reinterpret_cast<const char *>(C) : "";
  xmlFree(C);
  return StringRef(S).trim().str();
}
std::optional<std::string> attribute(xmlNode *N, const char *Name) {
  xmlChar *V = xmlGetProp(N, BAD_CAST Name);
  if (!V)
    return std::nullopt;
  std::string S = reinterpret_cast<const char *>(V);
  xmlFree(V);
  return S;
}

/// The first error libxml2 reports while parsing (it goes on after the
/// first and its last is often only "Premature end of data").
struct XmlErrors {
  std::string Message;
  int Line = 0;
};
#if LIBXML_VERSION >= 21200
using XmlErrorArg = const xmlError *;
#else
using XmlErrorArg = xmlErrorPtr;
#endif
void firstXmlError(void *Data, XmlErrorArg E) {
  auto *Ctx = static_cast<xmlParserCtxtPtr>(Data);
  auto *Errors = Ctx ? static_cast<XmlErrors *>(Ctx->_private) : nullptr;
  if (!Errors || !E || E->level < XML_ERR_ERROR || !Errors->Message.empty())
    return;
  Errors->Message = E->message ? StringRef(E->message).trim().str() : "";
  Errors->Line = E->line;
}

/// Parses an MSBuild file; null (and Error set) when it cannot be read, is
/// not well-formed XML or is not a <Project>.
XmlDoc readXml(const std::string &Path, const char *What, std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    Error = std::string("cannot read ") + What + " '" + Path +
            "': " + Buffer.getError().message();
    return nullptr;
  }
  if ((*Buffer)->getBufferSize() == 0) {
    Error = "'" + Path + "' is empty, not an MSBuild project";
    return nullptr;
  }
  xmlParserCtxtPtr Ctx = xmlCreateMemoryParserCtxt(
      (*Buffer)->getBufferStart(), int((*Buffer)->getBufferSize()));
  if (!Ctx) {
    Error = "cannot parse '" + Path + "'";
    return nullptr;
  }
  xmlCtxtUseOptions(Ctx, XML_PARSE_NONET | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
  XmlErrors Errors;
  Ctx->_private = &Errors;
  Ctx->userData = Ctx;
  Ctx->sax->serror = firstXmlError;
  xmlParseDocument(Ctx);
  XmlDoc Doc(Ctx->myDoc);
  Ctx->myDoc = nullptr;
  if (!Ctx->wellFormed) {
    Doc.reset();
    Error = "'" + Path + "' is not well-formed XML" +
            (Errors.Line > 0 ? " (line " + std::to_string(Errors.Line) + ")"
                             : std::string()) +
            ": " + (Errors.Message.empty() ? "unknown error" : Errors.Message);
  }
  xmlFreeParserCtxt(Ctx);
  if (!Doc)
    return nullptr;
  xmlNode *Root = xmlDocGetRootElement(Doc.get());
  if (!Root || !is(Root, "Project")) {
    Error = "'" + Path + "' is not an MSBuild project (its root element is <" +
            (Root ? nameOf(Root) : std::string()) + ">, not <Project>)";
    return nullptr;
  }
  return Doc;
}

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

/// One project evaluated for one Configuration|Platform.
class Evaluation {
public:
  Evaluation(StringRef Path, const MsBuildSettings &Settings, ProjectInput &Out)
      : Settings(Settings), Out(Out), Path(Path.str()),
        Dir(llvm::sys::path::parent_path(Path).str()),
        Name(llvm::sys::path::stem(Path).str()) {}
  void run();

  // For conditions too.
  std::string expand(StringRef S, const Scope &Sc, bool *Undefined = nullptr,
                     int Depth = 0);
  void note(const std::string &Text) {
    if (Noted.insert(Text).second)
      Out.Notes.push_back("'" + Path + "': " + Text);
  }

private:
  bool condition(xmlNode *N, const Scope &Sc, StringRef Base = "");
  std::string lookup(StringRef Name, const Scope &Sc, bool &Defined,
                     int Depth);
  std::string metadata(StringRef Name, const Scope &Sc);
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
  std::string Path, Dir, Name;
  std::string Configuration, Platform, Arch;
  // Keys are lower-case: MSBuild's property and metadata names ignore case.
  llvm::StringMap<std::string> Globals, Props, Defaults;
  std::vector<XmlDoc> Docs;
  struct Pending {
    xmlNode *Node;
    std::string File;
  };
  std::vector<Pending> DefinitionGroups, ItemGroups;
  std::set<std::string> Imported, Noted;
  bool BuildProps = false, BuildTargets = false, DroppedWdk = false;
  llvm::StringMap<std::string> ClDefinitions;
  std::vector<Item> Items;
};

/// An MSBuild condition: comparisons, and/or/!, parentheses, Exists() and
/// HasTrailingSlash(); none (std::nullopt) for what it does not know.
class Condition {
public:
  Condition(Evaluation &E, StringRef Text, const Scope &Sc, StringRef Base)
      : E(E), S(Text), Sc(Sc), Base(Base) {}
  std::optional<bool> evaluate() {
    auto V = orExpr();
    space();
    if (!V || P != S.size())
      return std::nullopt;
    return truth(*V);
  }

private:
  struct Value {
    std::string Text;
    int Bool = -1; // -1: a string; 0, 1: the result of a test
  };
  static Value boolean(bool B) { return {B ? "true" : "false", B ? 1 : 0}; }
  static std::optional<bool> truth(const Value &V) {
    if (V.Bool >= 0)
      return V.Bool == 1;
    StringRef T = StringRef(V.Text).trim();
    for (const char *Yes : {"true", "on", "yes", "!false", "!off", "!no"})
      if (T.equals_insensitive(Yes))
        return true;
    for (const char *No : {"false", "off", "no", "!true", "!on", "!yes"})
      if (T.equals_insensitive(No))
        return false;
    return std::nullopt;
  }
  void space() {
    while (P < S.size() && llvm::isSpace(S[P]))
      ++P;
  }
  bool word(StringRef W) {
    space();
    if (!S.substr(P, W.size()).equals_insensitive(W))
      return false;
    size_t After = P + W.size();
    if (After < S.size() && (llvm::isAlnum(S[After]) || S[After] == '_'))
      return false;
    P = After;
    return true;
  }
  bool token(StringRef T) {
    space();
    if (S.substr(P, T.size()) != T)
      return false;
    P += T.size();
    return true;
  }
  std::optional<Value> orExpr() {
    auto L = andExpr();
    while (L && word("or")) {
      auto R = andExpr();
      if (!R)
        return std::nullopt;
      auto A = truth(*L), B = truth(*R);
      if (!A || !B)
        return std::nullopt;
      L = boolean(*A || *B);
    }
    return L;
  }
  std::optional<Value> andExpr() {
    auto L = notExpr();
    while (L && word("and")) {
      auto R = notExpr();
      if (!R)
        return std::nullopt;
      auto A = truth(*L), B = truth(*R);
      if (!A || !B)
        return std::nullopt;
      L = boolean(*A && *B);
    }
    return L;
  }
  std::optional<Value> notExpr() {
    space();
    if (P < S.size() && S[P] == '!' && S.substr(P, 2) != "!=") {
      ++P;
      auto V = notExpr();
      if (!V)
        return std::nullopt;
      auto B = truth(*V);
      if (!B)
        return std::nullopt;
      return boolean(!*B);
    }
    return comparison();
  }
  /// Numbers and versions ("16.0", "10.0.22621.0") compare as numbers.
  static std::optional<std::vector<unsigned long long>>
  version(StringRef T) {
    T = T.trim();
    if (T.empty())
      return std::nullopt;
    std::vector<unsigned long long> R;
    llvm::SmallVector<StringRef, 4> Parts;
    T.split(Parts, '.');
    for (StringRef Part : Parts) {
      unsigned long long N;
      if (Part.getAsInteger(0, N))
        return std::nullopt;
      R.push_back(N);
    }
    while (R.size() > 1 && R.back() == 0)
      R.pop_back();
    return R;
  }
  std::optional<Value> comparison() {
    auto L = atom();
    if (!L)
      return std::nullopt;
    space();
    StringRef Op;
    for (StringRef O : {"==", "!=", "<=", ">=", "<", ">"})
      if (S.substr(P, O.size()) == O) {
        Op = O;
        break;
      }
    if (Op.empty())
      return L;
    P += Op.size();
    auto R = atom();
    if (!R)
      return std::nullopt;
    auto VL = version(L->Text), VR = version(R->Text);
    if (Op == "==" || Op == "!=") {
      bool Equal = VL && VR ? *VL == *VR
                            : StringRef(L->Text).equals_insensitive(R->Text);
      return boolean(Equal == (Op == "=="));
    }
    if (!VL || !VR)
      return std::nullopt;
    if (Op == "<")
      return boolean(*VL < *VR);
    if (Op == ">")
      return boolean(*VL > *VR);
    if (Op == "<=")
      return boolean(*VL <= *VR);
    return boolean(*VL >= *VR);
  }
  std::optional<Value> atom() {
    space();
    if (P >= S.size())
      return std::nullopt;
    if (S[P] == '(') {
      ++P;
      auto V = orExpr();
      if (!V || !token(")"))
        return std::nullopt;
      return V;
    }
    if (S[P] == '\'') {
      size_t End = S.find('\'', P + 1);
      if (End == StringRef::npos)
        return std::nullopt;
      Value V{E.expand(S.slice(P + 1, End), Sc)};
      P = End + 1;
      return V;
    }
    if ((S[P] == '$' || S[P] == '%' || S[P] == '@') &&
        S.substr(P + 1, 1) == "(") {
      size_t End = closing(S, P + 1);
      if (End == StringRef::npos)
        return std::nullopt;
      Value V{E.expand(S.slice(P, End + 1), Sc)};
      P = End + 1;
      return V;
    }
    size_t Start = P;
    while (P < S.size() &&
           (llvm::isAlnum(S[P]) || S[P] == '_' || S[P] == '.' || S[P] == '-'))
      ++P;
    StringRef Word = S.slice(Start, P);
    if (Word.empty() || Word.equals_insensitive("and") ||
        Word.equals_insensitive("or"))
      return std::nullopt;
    space();
    if (P < S.size() && S[P] == '(') {
      // Exists('path') and HasTrailingSlash('path'): the functions of
      // MSBuild's conditions that a project's paths use.
      ++P;
      auto Arg = atom();
      if (!Arg || !token(")"))
        return std::nullopt;
      if (Word.equals_insensitive("Exists")) {
        StringRef A = StringRef(Arg->Text).trim();
        if (A.empty() || A.contains(NoWdk))
          return boolean(false);
        return boolean(llvm::sys::fs::exists(
            resolveMsBuildPath(Base, unescape(A))));
      }
      if (Word.equals_insensitive("HasTrailingSlash")) {
        StringRef A = StringRef(Arg->Text).trim();
        return boolean(!A.empty() && (A.back() == '/' || A.back() == '\\'));
      }
      return std::nullopt;
    }
    return Value{Word.str()};
  }

  Evaluation &E;
  StringRef S;
  const Scope &Sc;
  StringRef Base;
  size_t P = 0;
};

bool Evaluation::condition(xmlNode *N, const Scope &Sc, StringRef Base) {
  auto Text = attribute(N, "Condition");
  if (!Text || StringRef(*Text).trim().empty())
    return true;
  // Exists() is relative to the project's directory, except in an import's
  // condition, which is relative to the importing file.
  std::optional<bool> R =
      Condition(*this, *Text, Sc, Base.empty() ? StringRef(Dir) : Base)
          .evaluate();
  if (!R) {
    note("condition \"" + *Text + "\" is not understood; taken as false");
    return false;
  }
  return *R;
}

std::string Evaluation::lookup(StringRef Name, const Scope &Sc, bool &Defined,
                               int Depth) {
  Defined = true;
  std::string Key = Name.lower();
  StringRef This = Sc.File;
  // MSBuild's reserved properties.
  if (Key == "msbuildprojectdirectory")
    return Dir;
  if (Key == "msbuildprojectfullpath")
    return Path;
  if (Key == "msbuildprojectfile")
    return llvm::sys::path::filename(Path).str();
  if (Key == "msbuildprojectname")
    return this->Name;
  if (Key == "msbuildprojectextension")
    return llvm::sys::path::extension(Path).str();
  if (Key == "msbuildthisfiledirectory")
    return llvm::sys::path::parent_path(This).str() + "/";
  if (Key == "msbuildthisfile")
    return llvm::sys::path::filename(This).str();
  if (Key == "msbuildthisfilename")
    return llvm::sys::path::stem(This).str();
  if (Key == "msbuildthisfileextension")
    return llvm::sys::path::extension(This).str();
  if (Key == "msbuildthisfilefullpath")
    return This.str();
  auto G = Globals.find(Key);
  if (G != Globals.end())
    return G->second;
  auto P = Props.find(Key);
  if (P != Props.end())
    return P->second;
  auto D = Defaults.find(Key);
  if (D != Defaults.end())
    return Depth > 16 ? std::string() : expand(D->second, Sc, nullptr, Depth + 1);
  Defined = false;
  return "";
}

std::string Evaluation::metadata(StringRef Name, const Scope &Sc) {
  Name.consume_front("ClCompile.");
  std::string Key = Name.lower();
  if (Sc.Metadata) {
    auto M = Sc.Metadata->find(Key);
    if (M != Sc.Metadata->end())
      return M->second;
  }
  // Well-known metadata of the item.
  if (!Sc.Item.empty()) {
    if (Key == "identity")
      return Sc.Item;
    if (Key == "filename")
      return llvm::sys::path::stem(slashes(Sc.Item)).str();
    if (Key == "extension")
      return llvm::sys::path::extension(slashes(Sc.Item)).str();
    if (Key == "fullpath")
      return Sc.ItemPath;
    if (Key == "relativedir") {
      std::string D = llvm::sys::path::parent_path(slashes(Sc.Item)).str();
      return D.empty() ? D : D + "/";
    }
  }
  return "";
}

std::string Evaluation::expand(StringRef S, const Scope &Sc, bool *Undefined,
                               int Depth) {
  std::string R;
  for (size_t I = 0; I < S.size();) {
    char C = S[I];
    bool Reference = (C == '$' || C == '@' || (C == '%' && Sc.Metadata)) &&
                     I + 1 < S.size() && S[I + 1] == '(';
    if (!Reference) {
      R += C;
      ++I;
      continue;
    }
    size_t Close = closing(S, I + 1);
    if (Close == StringRef::npos) {
      R += S.substr(I).str();
      break;
    }
    StringRef Inner = S.slice(I + 2, Close).trim();
    if (C == '$') {
      if (isIdentifier(Inner)) {
        bool Defined;
        R += lookup(Inner, Sc, Defined, Depth);
        if (!Defined && Undefined)
          *Undefined = true;
      } else {
        note("property functions are not evaluated: '$(" + Inner.str() +
             ")' is taken as empty");
        if (Undefined)
          *Undefined = true;
      }
    } else if (C == '@') {
      note("item lists are not expanded: '@(" + Inner.str() +
           ")' is taken as empty");
    } else {
      R += metadata(Inner, Sc);
    }
    I = Close + 1;
  }
  return R;
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
  const WdkLayout *W = Settings.Wdk;
  for (const WdkMacro &M : WdkMacros) {
    std::string V(1, NoWdk);
    if (W) {
      switch (M.Dir) {
      case WdkDir::Root:
        V = W->Root + "/";
        break;
      case WdkDir::Version:
        V = W->Version;
        break;
      case WdkDir::Km:
        V = W->Km;
        break;
      case WdkDir::KmCrt:
        V = W->KmCrt;
        break;
      case WdkDir::Shared:
        V = W->Shared;
        break;
      case WdkDir::Um:
        V = W->Um;
        break;
      case WdkDir::Kmdf:
        V = joinPath(W->Root, "Include/wdf/kmdf") + "/";
        break;
      case WdkDir::Umdf:
        V = joinPath(W->Root, "Include/wdf/umdf") + "/";
        break;
      }
    }
    Defaults[StringRef(M.Name).lower()] = V;
  }
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

/// P (an MSBuild path: backslashes, relative to Base) as a path here, '..'
/// and '.' removed. A name that differs only in case from the one on disk
/// is the one on disk: the projects come from a file system that ignores
/// case.
std::string cli::resolveMsBuildPath(StringRef Base, StringRef P) {
  std::string S = slashes(unquote(P));
  if (S.size() >= 2 && llvm::isAlpha(S[0]) && S[1] == ':')
    return S; // C:/WinDDK/...: not on this machine
  llvm::SmallString<256> Full;
  if (llvm::sys::path::is_absolute(S)) {
    Full = S;
  } else {
    Full = Base;
    llvm::sys::path::append(Full, S);
  }
  llvm::sys::fs::make_absolute(Full);
  llvm::sys::path::remove_dots(Full, true);
  if (llvm::sys::fs::exists(Full))
    return std::string(Full);
  llvm::SmallString<256> Found(llvm::sys::path::root_path(Full));
  StringRef Rest = llvm::sys::path::relative_path(Full);
  for (auto It = llvm::sys::path::begin(Rest), End = llvm::sys::path::end(Rest);
       It != End; ++It) {
    StringRef Part = *It;
    if (Part == "." || Part.empty())
      continue;
    std::string Next = joinPath(Found, Part);
    if (llvm::sys::fs::exists(Next)) {
      Found = Next;
      continue;
    }
    std::string Match;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator D(Found, EC), DEnd; D != DEnd && !EC;
         D.increment(EC))
      if (llvm::sys::path::filename(D->path()).equals_insensitive(Part)) {
        Match = D->path();
        break;
      }
    if (Match.empty())
      return std::string(Full);
    Found = Match;
  }
  return std::string(Found);
}

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
