// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The conductor of Engine.h, and the public entry point: every function that
// maps is walked once, bottom-up through the memo; then the DPCs that find a
// stored transfer are walked again from it. Findings are de-duplicated (one
// bug, one finding) and sorted.
#include "Engine.h"
#include "walk/Walker.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/Support/CrashRecoveryContext.h"

#include <algorithm>
#include <set>

using namespace clang;
using namespace dmacheck;

void Engine::runWalker(const FunctionDecl *FD,
                       const std::vector<const StoredTransfer *> &Seeds,
                       ExitSummary *Exit) {
  std::string Name = FD->getQualifiedNameAsString();
  FunctionWalker Walker(Ctx, Recognizer, Opts, *this, Seeds, Exit,
                        [this, Name](Finding F) {
                          F.Function = Name;
                          F.Loc = SM.getFileLoc(F.Loc);
                          for (FindingNote &N : F.Notes)
                            N.Loc = SM.getFileLoc(N.Loc);
                          // One bug, one finding: the first path that proves
                          // it explains it.
                          auto Key = std::make_tuple(unsigned(F.Check),
                                                     F.Loc.getRawEncoding(),
                                                     std::string());
                          if (Emitted.insert(Key).second)
                            Result.Findings.push_back(std::move(F));
                        });
  std::string Why = Walker.run(FD, Driver.factsOf(FD).HasFinally);
  Walker.finishFindings(Why.empty() && Walker.lostPath().empty());
  if (Why.empty() && !Walker.lostPath().empty()) {
    Result.Partial.push_back(
        {Name, FD->getLocation(), "partly analysed: " + Walker.lostPath()});
    return;
  }
  if (!Why.empty()) {
    for (const PartialAnalysis &P : Result.Partial)
      if (P.Function == Name)
        return;
    Result.Partial.push_back(
        {Name, FD->getLocation(), "partly analysed: " + Why});
    if (Exit)
      Exit->Exact = false;
  }
}

void Engine::noteSilenced(const FunctionDecl *In, const CallExpr *Call,
                          const Transfer &T, const char *Why) {
  SourceLocation At = SM.getFileLoc(Call->getExprLoc());
  unsigned MapLine =
      T.MapCall ? SM.getPresumedLineNumber(SM.getFileLoc(T.MapCall->getExprLoc()))
                : 0;
  for (const UnknownCall &U : Result.Silenced)
    if (U.Loc == At && U.MapLine == MapLine)
      return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  Result.Silenced.push_back({In ? In->getQualifiedNameAsString() : std::string(), At,
                             Callee ? Callee->getNameAsString() : "?", MapLine,
                             Why});
}

/// Walks FD once (memoized): its findings, and what it leaves open at its
/// returns for its callers.
const ExitSummary &Engine::analyzeFunction(const FunctionDecl *FD) {
  auto Done = Exits.find(FD);
  if (Done != Exits.end())
    return Done->second;
  ExitSummary &Exit = Exits[FD];
  const FunctionFacts &F = Driver.factsOf(FD);
  // Only what maps, directly or through helpers that map (a C++ thunk's
  // member that calls the method that maps), can open a transfer here.
  if (!Driver.maps(FD)) {
    Exit.Exact = true;
    return Exit;
  }
  ++Result.FunctionsAnalysed;
  if (FD->isInvalidDecl() || F.HasErrors) {
    Result.Partial.push_back({FD->getQualifiedNameAsString(), FD->getLocation(),
                              "not analysed: it has compile errors"});
    Exit.Exact = false;
    return Exit;
  }
  Analysing.insert(FD);
  ExitSummary Mine;
  runWalker(FD, {}, &Mine);
  Analysing.erase(FD);
  return Exits[FD] = std::move(Mine);
}

void Engine::analyzeTranslationUnit() {
  Driver.collect();
  // Bottom-up through the memo: a helper is walked before its first caller
  // needs its summary.
  for (const FunctionDecl *FD : Driver.defined())
    analyzeFunction(FD);
  // Across callbacks: what AdapterControl (and a DPC that maps the next
  // operation) left in the device extension is open when a DPC that reads
  // it runs.
  storeTransfers();
  std::set<const FunctionDecl *> Seeded;
  for (const FunctionDecl *Routine : Driver.defined()) {
    if (!Driver.hasRole(Routine, "dpc"))
      continue;
    // A C++ driver's DPC is a static thunk that forwards to a member: the
    // member is where the DPC's work is, and where it starts with the
    // transfer open (`this` is the object that holds it).
    const FunctionDecl *FD = Driver.forwardedTo(Routine);
    if (!Seeded.insert(FD).second)
      continue;
    std::vector<const StoredTransfer *> Seeds;
    const FunctionFacts &F = Driver.factsOf(FD);
    // The DPC reads the transfer's fields itself, or a function it calls
    // does (a C++ DPC thunk forwards to a member, a helper finishes).
    for (const auto &T : Stored)
      if ((T->field(Transfer::BaseSlot) &&
           Driver.reachesField(FD, T->field(Transfer::BaseSlot))) ||
          (T->field(Transfer::MdlSlot) &&
           Driver.reachesField(FD, T->field(Transfer::MdlSlot))))
        Seeds.push_back(T.get());
    if (Seeds.empty() || F.HasErrors || FD->isInvalidDecl())
      continue;
    if (!Exits.count(FD) || !Driver.factsOf(FD).AnyEvent)
      ++Result.FunctionsAnalysed;
    runWalker(FD, Seeds, nullptr);
  }
  Driver.exportFacts();
  const SourceManager &SMgr = SM;
  std::stable_sort(Result.Findings.begin(), Result.Findings.end(),
                   [&](const Finding &A, const Finding &B) {
                     if (A.Loc != B.Loc)
                       return SMgr.isBeforeInTranslationUnit(A.Loc, B.Loc);
                     return unsigned(A.Check) < unsigned(B.Check);
                   });
}

AnalysisResult dmacheck::analyzeTranslationUnit(ASTContext &Ctx,
                                                const ApiModel &Model,
                                                const AnalysisOptions &Opts) {
  AnalysisResult Result;
  // Clang's CFG builder and AST walks recurse on nesting; pathological input
  // (thousands of nested statements) needs more than a default stack. The
  // analysis runs on a thread with a large one; when the front end enabled
  // crash recovery, a crash there is reported instead of taking the run down.
  bool Completed = llvm::CrashRecoveryContext().RunSafelyOnThread(
      [&] {
        Engine E(Ctx, Model, Opts, Result);
        E.analyzeTranslationUnit();
      },
      /*RequestedStackSize=*/256u << 20);
  if (!Completed) {
    Result.Findings.clear();
    Result.Partial.push_back(
        {"<translation unit>", SourceLocation(),
         "not analysed: the analysis failed (internal error); please report "
         "the input"});
    Result.InternalError = true;
  }
  return Result;
}
