// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmacheck/Output.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <cctype>
#include <map>

using namespace dmacheck;
namespace json = llvm::json;

static PortableLocation portable(clang::SourceLocation L,
                                 const clang::SourceManager &SM) {
  PortableLocation P;
  L = SM.getFileLoc(L);
  clang::PresumedLoc PL = SM.getPresumedLoc(L);
  if (PL.isInvalid())
    return P;
  P.Line = PL.getLine();
  P.Column = PL.getColumn();
  llvm::SmallString<256> Path(PL.getFilename());
  if (const clang::FileEntry *FE = SM.getFileEntryForID(SM.getFileID(L))) {
    llvm::StringRef Real = FE->tryGetRealPathName();
    if (!Real.empty())
      Path = Real;
  }
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  P.File = std::string(Path);
  return P;
}

/// The real path of the file a location is in (as portable() names it).
static std::string realFile(clang::FileID FID, const clang::SourceManager &SM) {
  llvm::SmallString<256> Path;
  if (const clang::FileEntry *FE = SM.getFileEntryForID(FID))
    Path = FE->tryGetRealPathName();
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

static bool portableFix(const FindingFix &X, const clang::SourceManager &SM,
                        PortableFix &P) {
  if (X.Range.isInvalid() || !X.Range.isCharRange() ||
      X.Range.getBegin().isMacroID() || X.Range.getEnd().isMacroID())
    return false;
  auto B = SM.getDecomposedLoc(X.Range.getBegin());
  auto E = SM.getDecomposedLoc(X.Range.getEnd());
  if (B.first != E.first || E.second < B.second)
    return false;
  P.File = realFile(B.first, SM);
  if (P.File.empty())
    return false;
  P.Offset = B.second;
  P.Length = E.second - B.second;
  P.Line = SM.getLineNumber(B.first, B.second);
  P.Column = SM.getColumnNumber(B.first, B.second);
  P.EndLine = SM.getLineNumber(E.first, E.second);
  P.EndColumn = SM.getColumnNumber(E.first, E.second);
  P.Text = X.Text;
  return true;
}

static std::string lineText(clang::SourceLocation L,
                            const clang::SourceManager &SM) {
  L = SM.getFileLoc(L);
  bool Invalid = false;
  std::pair<clang::FileID, unsigned> D = SM.getDecomposedLoc(L);
  llvm::StringRef Buf = SM.getBufferData(D.first, &Invalid);
  if (Invalid || D.second > Buf.size())
    return "";
  size_t Begin = Buf.rfind('\n', D.second);
  Begin = Begin == llvm::StringRef::npos ? 0 : Begin + 1;
  size_t End = Buf.find('\n', D.second);
  return Buf.slice(Begin, End).trim().str();
}

/// The innermost function definition under DC whose source range holds L (a
/// file location), or null.
static const clang::FunctionDecl *
enclosingFunction(const clang::DeclContext *DC, clang::SourceLocation L,
                  const clang::SourceManager &SM) {
  std::pair<clang::FileID, unsigned> At = SM.getDecomposedLoc(L);
  for (const clang::Decl *D : DC->decls()) {
    clang::SourceRange R = D->getSourceRange();
    if (R.isInvalid())
      continue;
    std::pair<clang::FileID, unsigned> B =
        SM.getDecomposedLoc(SM.getFileLoc(R.getBegin()));
    std::pair<clang::FileID, unsigned> E =
        SM.getDecomposedLoc(SM.getFileLoc(R.getEnd()));
    if (B.first != At.first || E.first != At.first || At.second < B.second ||
        At.second > E.second)
      continue;
    if (const auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D)) {
      if (FD->doesThisDeclarationHaveABody())
        return FD;
    } else if (const auto *T = llvm::dyn_cast<clang::FunctionTemplateDecl>(D)) {
      if (T->getTemplatedDecl()->doesThisDeclarationHaveABody())
        return T->getTemplatedDecl();
    } else if (const auto *Inner = llvm::dyn_cast<clang::DeclContext>(D)) {
      // Namespaces, extern "C" blocks, classes (their methods).
      if (llvm::isa<clang::NamespaceDecl>(D) ||
          llvm::isa<clang::LinkageSpecDecl>(D) ||
          llvm::isa<clang::CXXRecordDecl>(D))
        if (const clang::FunctionDecl *FD = enclosingFunction(Inner, L, SM))
          return FD;
    }
  }
  return nullptr;
}

PortableFinding dmacheck::makePortable(const Finding &F,
                                       const clang::SourceManager &SM,
                                       const clang::ASTContext *Ctx) {
  PortableFinding P;
  P.Check = F.Check;
  P.Loc = portable(F.Loc, SM);
  P.Message = F.Message;
  P.Function = F.Function;
  P.LineText = lineText(F.Loc, SM);
  auto Enclosing = [&](clang::SourceLocation L) -> const clang::FunctionDecl * {
    if (!Ctx || L.isInvalid())
      return nullptr;
    return enclosingFunction(Ctx->getTranslationUnitDecl(), SM.getFileLoc(L),
                             SM);
  };
  auto StartLine = [&](const clang::FunctionDecl *FD) {
    return portable(FD->getSourceRange().getBegin(), SM).Line;
  };
  if (const clang::FunctionDecl *FD = Enclosing(F.Loc))
    P.FunctionLine = StartLine(FD);
  for (const FindingNote &N : F.Notes) {
    PortableNote PN{portable(N.Loc, SM), N.Message, "", N.Routine, 0};
    if (const clang::FunctionDecl *FD = Enclosing(N.Loc)) {
      PN.Function = FD->getNameAsString();
      PN.FunctionLine = StartLine(FD);
    }
    P.Notes.push_back(std::move(PN));
  }
  for (const FindingFix &X : F.Fixes) {
    PortableFix Fix;
    if (portableFix(X, SM, Fix))
      P.Fixes.push_back(std::move(Fix));
  }
  return P;
}

std::string dmacheck::relativePath(llvm::StringRef Path,
                                   llvm::StringRef SourceRoot) {
  if (SourceRoot.empty())
    return Path.str();
  llvm::SmallString<256> Root(SourceRoot);
  llvm::sys::path::remove_dots(Root, true);
  llvm::StringRef R = Root;
  R = R.rtrim('/');
  if (Path.size() > R.size() && Path.substr(0, R.size()) == R &&
      Path[R.size()] == '/')
    return Path.substr(R.size() + 1).str();
  return Path.str();
}

/// FNV-1a, 64 bits: stable across platforms and library versions.
static uint64_t fnv1a(llvm::StringRef S, uint64_t H = 1469598103934665603ull) {
  for (unsigned char C : S) {
    H ^= C;
    H *= 1099511628211ull;
  }
  return H;
}

/// The message without line numbers ("at line 42", "(line 42)"), which move
/// when unrelated lines are added above.
static std::string withoutLineNumbers(llvm::StringRef M) {
  std::string Out;
  for (size_t I = 0; I < M.size();) {
    if (M.substr(I, 5) == "line ") {
      size_t J = I + 5;
      while (J < M.size() && std::isdigit(static_cast<unsigned char>(M[J])))
        ++J;
      if (J > I + 5) {
        Out += "line N";
        I = J;
        continue;
      }
    }
    Out += M[I++];
  }
  return Out;
}

void dmacheck::assignFingerprints(std::vector<PortableFinding> &Findings,
                                  llvm::StringRef SourceRoot) {
  std::map<std::pair<std::string, uint64_t>, unsigned> Seen;
  for (PortableFinding &F : Findings) {
    std::string File = relativePath(F.Loc.File, SourceRoot);
    uint64_t H = fnv1a(checkInfo(F.Check).Name);
    H = fnv1a("\x1f" + File, H);
    H = fnv1a("\x1f" + F.Function, H);
    H = fnv1a("\x1f" + withoutLineNumbers(F.Message), H);
    H = fnv1a("\x1f" + F.LineText, H);
    unsigned Occurrence = Seen[{File, H}]++;
    char Buf[40];
    snprintf(Buf, sizeof(Buf), "%016llx:%u", (unsigned long long)H,
             Occurrence + 1);
    F.Fingerprint = Buf;
  }
}

//===----------------------------------------------------------------------===//
// NOLINT
//===----------------------------------------------------------------------===//

/// Does a NOLINT-style marker's optional "(checks)" list cover Check?
/// Text starts right after the marker word.
static bool markerCovers(llvm::StringRef Text, llvm::StringRef Check) {
  if (Text.empty() || Text[0] != '(')
    return true; // bare NOLINT: every check
  size_t Close = Text.find(')');
  if (Close == llvm::StringRef::npos)
    return false; // malformed: clang-tidy ignores it
  llvm::SmallVector<llvm::StringRef, 4> Globs;
  Text.slice(1, Close).split(Globs, ',', -1, false);
  for (llvm::StringRef G : Globs) {
    G = G.trim();
    if (G.empty())
      continue;
    auto P = llvm::GlobPattern::create(G);
    if (P && P->match(Check))
      return true;
    if (!P)
      llvm::consumeError(P.takeError());
  }
  return false;
}

namespace {
enum class MarkerKind { Line, NextLine, Begin, End };
struct Marker {
  MarkerKind Kind;
  llvm::StringRef After; // the text right after the marker word
};
} // namespace

/// Every NOLINT marker in a line, in order, as clang-tidy reads them: a
/// word starting with NOLINT, optionally NEXTLINE/BEGIN/END, then an
/// optional "(checks)".
static llvm::SmallVector<Marker, 2> markers(llvm::StringRef Line) {
  llvm::SmallVector<Marker, 2> Out;
  for (size_t Pos = Line.find("NOLINT"); Pos != llvm::StringRef::npos;
       Pos = Line.find("NOLINT", Pos + 6)) {
    llvm::StringRef Rest = Line.substr(Pos + 6);
    MarkerKind K = MarkerKind::Line;
    if (Rest.consume_front("NEXTLINE"))
      K = MarkerKind::NextLine;
    else if (Rest.consume_front("BEGIN"))
      K = MarkerKind::Begin;
    else if (Rest.consume_front("END"))
      K = MarkerKind::End;
    if (!Rest.empty() &&
        (std::isalnum(static_cast<unsigned char>(Rest[0])) || Rest[0] == '_'))
      continue; // another word that merely starts with NOLINT
    Out.push_back({K, Rest});
  }
  return Out;
}

bool dmacheck::isSuppressed(const Finding &F, const clang::SourceManager &SM) {
  clang::SourceLocation L = SM.getFileLoc(F.Loc);
  std::pair<clang::FileID, unsigned> D = SM.getDecomposedLoc(L);
  bool Invalid = false;
  llvm::StringRef Buf = SM.getBufferData(D.first, &Invalid);
  if (Invalid || D.second > Buf.size())
    return false;
  llvm::StringRef Check = checkInfo(F.Check).Name;
  size_t Begin = Buf.rfind('\n', D.second);
  Begin = Begin == llvm::StringRef::npos ? 0 : Begin + 1;
  size_t End = Buf.find('\n', D.second);
  for (const Marker &M : markers(Buf.slice(Begin, End)))
    if (M.Kind == MarkerKind::Line && markerCovers(M.After, Check))
      return true;
  if (Begin > 0) {
    size_t PrevBegin = Buf.rfind('\n', Begin - 1);
    PrevBegin = PrevBegin == llvm::StringRef::npos ? 0 : PrevBegin + 1;
    for (const Marker &M : markers(Buf.slice(PrevBegin, Begin - 1)))
      if (M.Kind == MarkerKind::NextLine && markerCovers(M.After, Check))
        return true;
  }
  // NOLINTBEGIN ... NOLINTEND regions above the finding that are still open.
  int Open = 0;
  llvm::StringRef Above = Buf.substr(0, Begin);
  for (size_t Pos = 0; Pos < Above.size();) {
    size_t Next = Above.find('\n', Pos);
    for (const Marker &M : markers(Above.slice(Pos, Next))) {
      if (M.Kind == MarkerKind::Begin && markerCovers(M.After, Check))
        ++Open;
      else if (M.Kind == MarkerKind::End && markerCovers(M.After, Check) &&
               Open > 0)
        --Open;
    }
    if (Next == llvm::StringRef::npos)
      break;
    Pos = Next + 1;
  }
  return Open > 0;
}

//===----------------------------------------------------------------------===//
// JSON and SARIF
//===----------------------------------------------------------------------===//

static json::Object jsonLocation(const PortableLocation &L,
                                 llvm::StringRef Root) {
  return json::Object{{"file", relativePath(L.File, Root)},
                      {"line", int64_t(L.Line)},
                      {"column", int64_t(L.Column)}};
}

void dmacheck::writeJson(llvm::raw_ostream &OS,
                         const std::vector<PortableFinding> &Findings,
                         const std::vector<RunErrorRecord> &Errors,
                         llvm::StringRef Root) {
  json::Array Out;
  for (const PortableFinding &F : Findings) {
    json::Array Notes;
    for (const PortableNote &N : F.Notes) {
      json::Object O = jsonLocation(N.Loc, Root);
      O["message"] = N.Message;
      Notes.push_back(std::move(O));
    }
    json::Object O = jsonLocation(F.Loc, Root);
    O["check"] = checkInfo(F.Check).Name.str();
    O["message"] = F.Message;
    O["function"] = F.Function;
    O["fingerprint"] = F.Fingerprint;
    O["notes"] = std::move(Notes);
    if (!F.Fixes.empty()) {
      json::Array Fixes;
      for (const PortableFix &X : F.Fixes)
        Fixes.push_back(json::Object{{"file", relativePath(X.File, Root)},
                                     {"line", int64_t(X.Line)},
                                     {"column", int64_t(X.Column)},
                                     {"endLine", int64_t(X.EndLine)},
                                     {"endColumn", int64_t(X.EndColumn)},
                                     {"offset", int64_t(X.Offset)},
                                     {"length", int64_t(X.Length)},
                                     {"replacement", X.Text}});
      O["fixes"] = std::move(Fixes);
    }
    Out.push_back(std::move(O));
  }
  json::Array Errs;
  for (const RunErrorRecord &E : Errors)
    Errs.push_back(json::Object{{"file", relativePath(E.File, Root)},
                                {"message", E.Message}});
  json::Value Doc = json::Object{{"version", 1},
                                 {"findings", std::move(Out)},
                                 {"errors", std::move(Errs)}};
  OS << llvm::formatv("{0:2}", Doc) << "\n";
}

static json::Object sarifArtifact(const std::string &File,
                                  llvm::StringRef Root) {
  std::string Rel = relativePath(File, Root);
  json::Object Artifact{{"uri", Rel}};
  if (Rel != File)
    Artifact["uriBaseId"] = "SRCROOT";
  else
    Artifact["uri"] = "file://" + File;
  return Artifact;
}

static json::Object sarifLocation(const PortableLocation &L,
                                  llvm::StringRef Root,
                                  const std::string *Message = nullptr) {
  std::string Rel = relativePath(L.File, Root);
  json::Object Artifact{{"uri", Rel}};
  if (Rel != L.File)
    Artifact["uriBaseId"] = "SRCROOT";
  else
    Artifact["uri"] = "file://" + L.File;
  json::Object Physical{
      {"artifactLocation", std::move(Artifact)},
      {"region", json::Object{{"startLine", int64_t(L.Line)},
                              {"startColumn", int64_t(L.Column)}}}};
  json::Object Loc{{"physicalLocation", std::move(Physical)}};
  if (Message)
    Loc["message"] = json::Object{{"text", *Message}};
  return Loc;
}

void dmacheck::writeSarif(llvm::raw_ostream &OS,
                          const std::vector<PortableFinding> &Findings,
                          const std::vector<RunErrorRecord> &Errors,
                          llvm::StringRef Root, llvm::StringRef Version,
                          llvm::StringRef DocsUrl) {
  json::Array Rules;
  for (const CheckInfo &C : allChecks())
    Rules.push_back(json::Object{
        {"id", C.Name.str()},
        {"name", C.Name.str()},
        {"shortDescription", json::Object{{"text", C.Summary.str()}}},
        {"fullDescription", json::Object{{"text", C.Summary.str() + "."}}},
        {"helpUri", DocsUrl.str() + C.Name.str() + ".md"},
        {"defaultConfiguration", json::Object{{"level", "warning"}}}});

  json::Array Results;
  for (const PortableFinding &F : Findings) {
    json::Array Related, Flow;
    int64_t Id = 0;
    for (const PortableNote &N : F.Notes) {
      json::Object R = sarifLocation(N.Loc, Root, &N.Message);
      R["id"] = Id++;
      Related.push_back(std::move(R));
      Flow.push_back(json::Object{
          {"location", sarifLocation(N.Loc, Root, &N.Message)}});
    }
    Flow.push_back(json::Object{
        {"location", sarifLocation(F.Loc, Root, &F.Message)}});
    json::Object Result{
        {"ruleId", checkInfo(F.Check).Name.str()},
        {"ruleIndex", int64_t(F.Check)},
        {"level", "warning"},
        {"message", json::Object{{"text", F.Message}}},
        {"locations", json::Array{sarifLocation(F.Loc, Root)}},
        {"partialFingerprints",
         json::Object{{"dmacheckFingerprint/v1", F.Fingerprint}}},
        {"codeFlows",
         json::Array{json::Object{
             {"threadFlows",
              json::Array{json::Object{{"locations", std::move(Flow)}}}}}}}};
    if (!Related.empty())
      Result["relatedLocations"] = std::move(Related);
    if (!F.Fixes.empty()) {
      // SARIF 2.1.0 §3.55: one fix, its changes per file.
      json::Array Changes;
      for (const PortableFix &X : F.Fixes)
        Changes.push_back(json::Object{
            {"artifactLocation", sarifArtifact(X.File, Root)},
            {"replacements",
             json::Array{json::Object{
                 {"deletedRegion",
                  json::Object{{"startLine", int64_t(X.Line)},
                               {"startColumn", int64_t(X.Column)},
                               {"endLine", int64_t(X.EndLine)},
                               {"endColumn", int64_t(X.EndColumn)},
                               {"charOffset", int64_t(X.Offset)},
                               {"charLength", int64_t(X.Length)}}},
                 {"insertedContent", json::Object{{"text", X.Text}}}}}}});
      std::string Desc = "Pass '" + F.Fixes.front().Text + "'";
      Result["fixes"] = json::Array{json::Object{
          {"description", json::Object{{"text", Desc}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    Results.push_back(std::move(Result));
  }

  json::Array Notifications;
  for (const RunErrorRecord &E : Errors) {
    json::Object N{{"level", "error"}, {"message", json::Object{{"text", E.Message}}}};
    if (!E.File.empty())
      N["locations"] = json::Array{json::Object{
          {"physicalLocation",
           json::Object{{"artifactLocation",
                         json::Object{{"uri", relativePath(E.File, Root)}}}}}}};
    Notifications.push_back(std::move(N));
  }

  json::Object Run{
      {"tool",
       json::Object{{"driver",
                     json::Object{{"name", "dmacheck"},
                                  {"version", Version.str()},
                                  {"rules", std::move(Rules)}}}}},
      {"results", std::move(Results)},
      {"invocations",
       json::Array{json::Object{
           {"executionSuccessful", Errors.empty()},
           {"toolExecutionNotifications", std::move(Notifications)}}}}};
  llvm::SmallString<256> RootUri(Root);
  if (!RootUri.empty() && RootUri.back() != '/')
    RootUri += '/';
  if (!RootUri.empty())
    Run["originalUriBaseIds"] = json::Object{
        {"SRCROOT", json::Object{{"uri", "file://" + RootUri.str().str()}}}};

  json::Value Doc = json::Object{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::Array{std::move(Run)}}};
  OS << llvm::formatv("{0:2}", Doc) << "\n";
}
