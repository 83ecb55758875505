// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The driver model of driver/DriverModel.h: facts per function (from
// BodyScan), roles, DMA effects, field write sets, the routines that run
// between AdapterControl and the DPC, read-only tables, and the facts
// exchanged with the driver's other files.
#include "driver/DriverModel.h"

#include "model/Calls.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;
using namespace dmacheck;

/// The declarations of a context, and of the contexts a C++ driver nests its
/// code in: `extern "C" { }`, namespaces, and classes (their members defined
/// inline). Templates are left out (a pattern's body is not code that runs;
/// its instantiations' types are not known here), and so is what they hold.
static void flatten(const DeclContext *DC, std::vector<const Decl *> &Out) {
  for (const Decl *D : DC->decls()) {
    if (D->isImplicit() && !isa<LinkageSpecDecl>(D))
      continue;
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
      Out.push_back(D);
      if (RD->isThisDeclarationADefinition() && !RD->isDependentContext() &&
          !RD->getDescribedClassTemplate() &&
          !isa<ClassTemplateSpecializationDecl>(RD))
        flatten(RD, Out);
      continue;
    }
    // A friend function defined inside its class.
    if (const auto *F = dyn_cast<FriendDecl>(D)) {
      if (const auto *FD = dyn_cast_or_null<FunctionDecl>(F->getFriendDecl()))
        if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
          Out.push_back(FD);
      continue;
    }
    if (isa<LinkageSpecDecl>(D) || isa<NamespaceDecl>(D)) {
      flatten(cast<DeclContext>(D), Out);
      continue;
    }
    if (const auto *FD = dyn_cast<FunctionDecl>(D))
      if (FD->isDependentContext() || FD->getDescribedFunctionTemplate())
        continue;
    Out.push_back(D);
  }
}

void DriverModel::collect() {
  flatten(Ctx.getTranslationUnitDecl(), TopDecls);
  for (const Decl *D : TopDecls) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || !isOurs(FD))
      continue;
    Defined.push_back(FD);
  }
  collectRoles();
  for (const FunctionDecl *FD : Defined)
    for (const FunctionDecl *C : factsOf(FD).Callees)
      Called.insert(C->getCanonicalDecl());
}

const FunctionFacts &DriverModel::factsOf(const FunctionDecl *FD) {
  auto It = Facts.find(FD);
  if (It != Facts.end())
    return It->second;
  FunctionFacts F;
  if (const FunctionDecl *Def = FD->getDefinition(); Def && Def->hasBody()) {
    BodyScan Scan = scanBody(Def->getBody(), Recognizer, Os);
    F = std::move(Scan.Facts);
    PendingWrites[Def] = std::move(Scan.Writes);
    for (const auto &[Routine, Role] : F.Roles)
      Roles[Routine->getCanonicalDecl()].insert(Role);
  }
  return Facts[FD] = std::move(F);
}

bool DriverModel::reachesField(const FunctionDecl *FD, const FieldDecl *F) {
  FD = FD->getCanonicalDecl();
  auto It = ReachedFields.find(FD);
  if (It == ReachedFields.end()) {
    std::set<const FieldDecl *> &Fields = ReachedFields[FD];
    std::vector<const FunctionDecl *> Work{FD};
    std::set<const FunctionDecl *> Seen{FD};
    while (!Work.empty()) {
      const FunctionDecl *Def = Work.back()->getDefinition();
      Work.pop_back();
      if (!Def || !Def->hasBody() || !isOurs(Def))
        continue;
      const FunctionFacts &Facts = factsOf(Def);
      Fields.insert(Facts.FieldRefs.begin(), Facts.FieldRefs.end());
      for (const FunctionDecl *C : Facts.Callees)
        if (Seen.insert(C->getCanonicalDecl()).second)
          Work.push_back(C->getCanonicalDecl());
    }
    It = ReachedFields.find(FD);
  }
  return It->second.count(F) != 0;
}

const FunctionDecl *DriverModel::forwardedTo(const FunctionDecl *FD) {
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    const CallExpr *Call = forwardingCall(FD);
    const FunctionDecl *To = Call ? directTarget(Call) : nullptr;
    const FunctionDecl *Def = To ? To->getDefinition() : nullptr;
    if (!Def || !Def->hasBody() || !isOurs(Def) || Def == FD ||
        Recognizer.recognise(Call))
      break;
    FD = Def;
  }
  return FD;
}

const RoutineFacts *DriverModel::external(const FunctionDecl *FD) {
  if (!Opts.Facts || !FD->getIdentifier())
    return nullptr;
  auto It = Opts.Facts->Routines.find(routineKey(FD));
  if (It == Opts.Facts->Routines.end() || !It->second.Defined)
    return nullptr;
  return &It->second;
}

const FieldWrites *DriverModel::writesOf(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = Writes.find(FD);
  if (It != Writes.end())
    return It->second.get();
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody()) {
    if (const RoutineFacts *R = external(FD)) {
      auto W = std::make_unique<FieldWrites>();
      W->All = R->WritesAll;
      W->Fields = R->Writes;
      return (Writes[FD] = std::move(W)).get();
    }
    // The system's: what it is given may change; an unseen driver
    // routine's: likewise.
    return Writes[FD].get();
  }
  if (!isOurs(Def))
    return Writes[FD].get();
  // Recursion: assume nothing more while looking (the cycle's own writes
  // are collected by its other members).
  Writes[FD] = std::make_unique<FieldWrites>();
  // The body was walked once for its facts and its writes (factsOf).
  BodyWrites Scan;
  factsOf(Def);
  if (auto P = PendingWrites.find(Def); P != PendingWrites.end()) {
    Scan = std::move(P->second);
    PendingWrites.erase(P);
  } else {
    Scan = scanBody(Def->getBody(), Recognizer, Os).Writes;
  }
  auto W = std::make_unique<FieldWrites>();
  W->All = Scan.All;
  W->Fields = std::move(Scan.Fields);
  for (const FunctionDecl *C : Scan.PointerCalls)
    if (!isOurs(C))
      W->All = true;
  std::vector<const FunctionDecl *> More = Scan.Callees;
  More.insert(More.end(), Scan.Callbacks.begin(), Scan.Callbacks.end());
  for (const FunctionDecl *C : More) {
    if (W->All)
      break;
    const FunctionDecl *CD = C->getDefinition();
    if (!isOurs(C) && !(CD && isOurs(CD)))
      continue; // the system's (pointer arguments handled above)
    const FieldWrites *CW = writesOf(C);
    if (!CW) {
      W->All = true;
      break;
    }
    W->All |= CW->All;
    W->Fields.insert(CW->Fields.begin(), CW->Fields.end());
  }
  return (Writes[FD] = std::move(W)).get();
}

bool DriverModel::hasRole(const FunctionDecl *FD, llvm::StringRef Role) {
  auto It = Roles.find(FD->getCanonicalDecl());
  if (It != Roles.end() && It->second.count(Role.str()))
    return true;
  if (Opts.Facts && FD->getIdentifier()) {
    auto R = Opts.Facts->Routines.find(routineKey(FD));
    if (R != Opts.Facts->Routines.end())
      return R->second.Roles.count(Role.str()) != 0;
  }
  return false;
}


void DriverModel::collectRoles() {
  // A DPC reached through a table of deferred routines, or an ISR connected
  // by code that names it only as a value: its address is taken and its
  // signature says what it is.
  std::set<const FunctionDecl *> Taken;
  for (const Decl *D : TopDecls) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (VD && VD->getInit() && isOurs(VD))
      collectAddressTaken(D, Taken);
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && FD->doesThisDeclarationHaveABody() && isOurs(D)) {
      const FunctionFacts &F = factsOf(FD);
      Taken.insert(F.AddressTaken.begin(), F.AddressTaken.end());
    }
  }
  for (const FunctionDecl *FD : Taken)
    if (const char *Role = roleOfSignature(FD))
      if (isOurs(FD))
        Roles[FD].insert(Role);
  for (const FunctionDecl *FD : Defined) {
    factsOf(FD); // registrations in its body
    for (const FunctionDecl *R : FD->redecls())
      if (const auto *TT = R->getType()->getAs<TypedefType>())
        if (const char *Role = roleOfTypedef(TT->getDecl()->getName()))
          Roles[FD->getCanonicalDecl()].insert(Role);
  }
  // A routine of this file that another file may register (a DPC
  // registered in driver.c): worth a second look when one does.
  for (const FunctionDecl *FD : Defined)
    if (FD->isExternallyVisible() && FD->getIdentifier() &&
        !Roles.count(FD->getCanonicalDecl()))
      Result.Wanted.insert(routineKey(FD));
}


/// Whether a routine that may run between a producer's return and the DPC
/// writes field F (or writes anything it is given).
bool DriverModel::writtenInBetween(const FieldDecl *F) {
  for (const FunctionDecl *B : inBetween()) {
    const FieldWrites *Writes = writesOf(B);
    if (!Writes || Writes->All || Writes->Fields.count(fieldKey(F)))
      return true;
  }
  return false;
}

/// The routines that may run between an AdapterControl's return and its
/// DPC: ISRs and the routines handed to KeSynchronizeExecution.
const std::vector<const FunctionDecl *> &DriverModel::inBetween() {
  if (InBetweenDone)
    return InBetween;
  InBetweenDone = true;
  for (const FunctionDecl *FD : Defined) {
    if (hasRole(FD, "isr"))
      InBetween.push_back(FD);
    for (const FunctionDecl *R : synchronizedRoutines(FD->getBody()))
      if (llvm::find(InBetween, R) == InBetween.end())
        InBetween.push_back(R);
  }
  return InBetween;
}

void DriverModel::exportFacts() {
  for (const FunctionDecl *FD : Defined) {
    if (!FD->getIdentifier() || !FD->isExternallyVisible())
      continue;
    RoutineFacts &R = Result.Exported.Routines[routineKey(FD)];
    R.Defined = true;
    R.DmaEffects = dmaEffects(FD) != DmaEffects::None;
    const FieldWrites *W = writesOf(FD);
    R.WritesAll = !W || W->All;
    if (W && !W->All)
      R.Writes = W->Fields;
  }
  for (const auto &[FD, Set] : Roles)
    if (FD->getIdentifier())
      Result.Exported.Routines[routineKey(FD)].Roles.insert(Set.begin(),
                                                                 Set.end());
}



DmaEffects DriverModel::dmaEffects(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = Effects.find(FD);
  if (It != Effects.end())
    return It->second;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody()) {
    // Defined elsewhere: the system's routines have no DMA effects beyond the
    // ones the rules name; a driver's own routine in another file may, unless
    // that file's facts say otherwise.
    // What the driver's other files say comes first (a routine of the
    // driver's that looks like the system's). A routine that does not
    // return (a bug check, an assertion failure) ends the path: nothing
    // after it is affected.
    if (const RoutineFacts *R = external(FD))
      return Effects[FD] =
                 R->DmaEffects ? DmaEffects::Unknown : DmaEffects::None;
    // Taken as the system's by its name or header, but declared outside
    // clang's system headers: another file of the driver may still define
    // it, and then its facts win in the second round.
    if (FD->getIdentifier() && FD->getBuiltinID() == 0 &&
        !SM.isInSystemHeader(SM.getFileLoc(FD->getLocation())))
      Result.Wanted.insert(routineKey(FD));
    if (!isOurs(FD) || FD->isNoReturn())
      return Effects[FD] = DmaEffects::None;
    if (FD->getIdentifier()) {
      Result.Wanted.insert(routineKey(FD));
      Result.UnknownRoutines.insert(routineKey(FD));
    }
    return Effects[FD] = DmaEffects::Unknown;
  }
  if (!isOurs(Def))
    return Effects[FD] = DmaEffects::None;
  Effects[FD] = DmaEffects::None; // recursion: assume none while looking
  DmaEffects Result =
      factsOf(Def).AnyEvent ? DmaEffects::Known : DmaEffects::None;
  std::vector<const FunctionDecl *> Callees = factsOf(Def).Callees;
  for (const FunctionDecl *C : Callees) {
    if (Result == DmaEffects::Known)
      break;
    DmaEffects E = dmaEffects(C);
    if (E == DmaEffects::Known)
      Result = DmaEffects::Known;
    else if (E == DmaEffects::Unknown)
      Result = DmaEffects::Unknown;
  }
  return Effects[FD] = Result;
}

bool DriverModel::maps(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto [It, New] = Maps.try_emplace(FD, false); // recursion: not while looking
  if (!New)
    return It->second;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || !isOurs(Def))
    return false;
  bool Result = factsOf(Def).AnyMap;
  std::vector<const FunctionDecl *> Callees = factsOf(Def).Callees;
  for (const FunctionDecl *C : Callees) {
    if (Result)
      break;
    Result = dmaEffects(C) == DmaEffects::Known && maps(C);
  }
  return Maps[FD] = Result;
}

/// A global table the driver only reads: defined here with its contents (or
/// const), and nothing in the translation unit writes it or lets it escape.
bool DriverModel::tableReadOnly(const VarDecl *VD) {
  VD = VD->getCanonicalDecl();
  auto [It, New] = ReadOnlyTables.try_emplace(VD, false);
  if (!New)
    return It->second;
  const VarDecl *Def = VD->getDefinition();
  bool ReadOnly = VD->getType().isConstQualified() ||
                  (Def && Def->hasInit() && isOurs(Def));
  for (const Decl *D : TopDecls) {
    if (!ReadOnly)
      break;
    if (!isOurs(D) || (!isa<FunctionDecl>(D) && !isa<VarDecl>(D)))
      continue;
    if (const auto *V = dyn_cast<VarDecl>(D); V && V->getCanonicalDecl() == VD)
      continue; // its own initialiser
    ReadOnly = !writesOrLeaksTable(D, VD);
  }
  return It->second = ReadOnly;
}
