// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The driver model: what the translation unit's routines are to each other
// and to the system, before any path is walked. Which functions the driver
// defines, the role the system calls each in (AdapterControl, DPC, ISR, ...),
// which have DMA effects, the fields each may write, the routines that may run
// between an AdapterControl and its DPC, read-only global tables, and what the
// driver's other files said (DriverFacts) and what this file tells them.
// Everything is computed on demand from the syntactic scans of BodyScan.h and
// cached for the translation unit.
#ifndef DMACHECK_DRIVER_DRIVERMODEL_H
#define DMACHECK_DRIVER_DRIVERMODEL_H

#include "dmacheck/Analyzer.h"
#include "dmacheck/DriverFacts.h"
#include "dmacheck/Events.h"

#include "driver/BodyScan.h"
#include "model/OsCode.h"
#include "summaries/Summaries.h"

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace dmacheck {

/// What a call to a routine that is not itself an event may do to transfers.
enum class DmaEffects {
  None,    // the system's routines, and same-file functions with no events
  Known,   // a same-file function that maps, flushes, releases or completes
  Unknown, // a driver routine defined in another file
};

class DriverModel {
public:
  DriverModel(clang::ASTContext &Ctx, const EventRecognizer &Recognizer,
              const AnalysisOptions &Opts, AnalysisResult &Result)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Recognizer(Recognizer),
        Opts(Opts), Result(Result) {}

  /// Finds the driver's functions, what calls what, and the roles.
  void collect();
  /// The functions the translation unit defines in the driver's code, in
  /// declaration order.
  const std::vector<const clang::FunctionDecl *> &defined() const {
    return Defined;
  }
  /// Called directly by the translation unit's code (not only by the system).
  bool isCalled(const clang::FunctionDecl *FD) const {
    return Called.count(FD->getCanonicalDecl()) != 0;
  }

  const FunctionFacts &factsOf(const clang::FunctionDecl *FD);
  /// Whether FD, or a function of this file it calls (directly or through
  /// others: a C++ thunk's member, a helper), refers to field F.
  bool reachesField(const clang::FunctionDecl *FD, const clang::FieldDecl *F);
  DmaEffects dmaEffects(const clang::FunctionDecl *FD);
  /// Whether FD maps, itself or through functions of this file it calls.
  bool maps(const clang::FunctionDecl *FD);
  /// What a call may write through its pointer arguments; null: anything.
  const FieldWrites *writesOf(const clang::FunctionDecl *FD);
  bool hasRole(const clang::FunctionDecl *FD, llvm::StringRef Role);
  /// The function of this file a forwarding routine (a C++ static thunk)
  /// hands its call to, followed through thunks of thunks; FD itself when
  /// it does not forward.
  const clang::FunctionDecl *forwardedTo(const clang::FunctionDecl *FD);
  bool tableReadOnly(const clang::VarDecl *VD);
  /// Whether a routine that may run between a producer's return and the DPC
  /// writes field F (or writes anything it is given).
  bool writtenInBetween(const clang::FieldDecl *F);

  /// The driver's own code, not the system's (kernel headers, builtins).
  bool isOurs(const clang::Decl *D) const { return Os.isDrivers(D); }
  bool isSystemRoutine(const clang::FunctionDecl *FD) const {
    return Os.isSystemRoutine(FD);
  }

  /// What this file tells the driver's other files (AnalysisResult::Exported).
  void exportFacts();

private:
  const RoutineFacts *external(const clang::FunctionDecl *FD);
  const std::vector<const clang::FunctionDecl *> &inBetween();
  void collectRoles();

  clang::ASTContext &Ctx;
  clang::SourceManager &SM;
  mutable OsCode Os{SM};
  const EventRecognizer &Recognizer;
  const AnalysisOptions &Opts;
  AnalysisResult &Result;
  llvm::DenseMap<const clang::FunctionDecl *, FunctionFacts> Facts;
  /// A body's writes, found by the walk that found its facts, until
  /// writesOf takes them.
  llvm::DenseMap<const clang::FunctionDecl *, BodyWrites> PendingWrites;
  llvm::DenseMap<const clang::FunctionDecl *, DmaEffects> Effects;
  llvm::DenseMap<const clang::FunctionDecl *, bool> Maps;
  std::map<const clang::FunctionDecl *, std::set<const clang::FieldDecl *>>
      ReachedFields;
  std::map<const clang::FunctionDecl *, std::unique_ptr<FieldWrites>> Writes;
  std::map<const clang::FunctionDecl *, std::set<std::string>> Roles;
  std::set<const clang::FunctionDecl *> Called;
  std::vector<const clang::FunctionDecl *> Defined;
  /// The translation unit's declarations, with those nested in linkage
  /// specifications, namespaces and classes (flatten()).
  std::vector<const clang::Decl *> TopDecls;
  std::vector<const clang::FunctionDecl *> InBetween;
  bool InBetweenDone = false;
  llvm::DenseMap<const clang::VarDecl *, bool> ReadOnlyTables;
};

} // namespace dmacheck

#endif
