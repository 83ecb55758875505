// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// MSBuild's evaluation of strings: $(Property) and %(Metadata) expansion
// (MSBuild's reserved properties, global properties first, then the
// project's, then the defaults, which expand when read), Conditions
// ('$(Configuration)|$(Platform)'=='Release|x64', ==, !=, <, >, and, or, !,
// Exists(), HasTrailingSlash()), the WDK's macros ($(KM_IncludePath), ...)
// as --wdk's directories or as NoWdk, and MSBuild's lists, escapes and paths
// (a path that differs in case from the one on disk is the one on disk).
#include "MsbuildEval.h"
#include "Commands.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <optional>

using namespace dmacheck;
using namespace dmacheck::cli;
using namespace dmacheck::cli::msbuild;
using llvm::StringRef;

namespace {

/// An entry of a list, without the quotes MSBuild allows around it.
StringRef unquote(StringRef S) {
  S = S.trim();
  if (S.size() >= 2 && S.front() == '"' && S.back() == '"')
    S = S.drop_front().drop_back().trim();
  return S;
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

} // namespace

std::string msbuild::joinPath(StringRef A, StringRef B) {
  llvm::SmallString<256> P(A);
  llvm::sys::path::append(P, B);
  return std::string(P);
}

std::string msbuild::slashes(StringRef S) {
  std::string R = S.str();
  std::replace(R.begin(), R.end(), '\\', '/');
  return R;
}

std::string msbuild::unescape(StringRef S) {
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

std::vector<std::string> msbuild::splitList(StringRef S) {
  llvm::SmallVector<StringRef, 8> Parts;
  S.split(Parts, ';');
  std::vector<std::string> R;
  for (StringRef P : Parts)
    if (!unquote(P).empty())
      R.push_back(unquote(P).str());
  return R;
}

bool msbuild::isTrue(StringRef S) {
  S = S.trim();
  return S.equals_insensitive("true") || S.equals_insensitive("yes") ||
         S.equals_insensitive("on");
}

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

namespace {

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

} // namespace

void Properties::defineWdkMacros(const WdkLayout *W) {
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

namespace {

/// An MSBuild condition: comparisons, and/or/!, parentheses, Exists() and
/// HasTrailingSlash(); none (std::nullopt) for what it does not know.
class Condition {
public:
  Condition(Properties &E, StringRef Text, const Scope &Sc, StringRef Base)
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

  Properties &E;
  StringRef S;
  const Scope &Sc;
  StringRef Base;
  size_t P = 0;
};

} // namespace

Properties::Properties(StringRef Path, std::vector<std::string> &Notes)
    : Path(Path.str()), Dir(llvm::sys::path::parent_path(Path).str()),
      Name(llvm::sys::path::stem(Path).str()), Notes(Notes) {}

void Properties::note(const std::string &Text) {
  if (Noted.insert(Text).second)
    Notes.push_back("'" + Path + "': " + Text);
}

bool Properties::conditionHolds(StringRef Text, const Scope &Sc,
                                StringRef Base) {
  if (Text.trim().empty())
    return true;
  std::optional<bool> R =
      Condition(*this, Text, Sc, Base.empty() ? StringRef(Dir) : Base)
          .evaluate();
  if (!R) {
    note("condition \"" + Text.str() + "\" is not understood; taken as false");
    return false;
  }
  return *R;
}

std::string Properties::lookup(StringRef Name, const Scope &Sc, bool &Defined,
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

std::string Properties::metadata(StringRef Name, const Scope &Sc) {
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

std::string Properties::expand(StringRef S, const Scope &Sc, bool *Undefined,
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
