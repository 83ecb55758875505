// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The path-sensitive walk. For each function that maps a transfer, walk its
// clang::CFG with a worklist of path states. States whose DMA state (which
// transfers are open, released, how they were mapped) is equal are merged at
// block entry and their values joined (property simulation, Das/Lerner/Seigle
// PLDI 2002), so the cost is polynomial; states whose DMA state differs are
// kept apart, which is what makes correlated branches precise. Branch facts on
// values that did not change between two tests decide the second test.
#include "dmacheck/Analyzer.h"
#include "dmacheck/Events.h"

#include "OsCode.h"
#include "PathState.h"
#include "checks/CheckContext.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CrashRecoveryContext.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <set>

using namespace clang;
using namespace dmacheck;

//===----------------------------------------------------------------------===//
// CheckContext helpers shared by the checks.
//===----------------------------------------------------------------------===//

std::string CheckContext::spell(const Expr *E) const {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM,
      Ctx.getLangOpts());
  std::string Text;
  if (R.isValid())
    Text = Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
  if (Text.empty()) {
    llvm::raw_string_ostream OS(Text);
    E->printPretty(OS, nullptr, Ctx.getPrintingPolicy());
  }
  // One line, single spaces.
  std::string Out;
  bool Space = false;
  for (char Ch : Text) {
    if (Ch == '\n' || Ch == '\r' || Ch == '\t' || Ch == ' ') {
      Space = !Out.empty();
      continue;
    }
    if (Space)
      Out += ' ';
    Space = false;
    Out += Ch;
  }
  if (Out.size() > 80)
    Out = Out.substr(0, 77) + "...";
  return Out;
}

SourceLocation CheckContext::callLoc(const CallExpr *Call) const {
  const Expr *E = Call->getCallee();
  for (;;) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_Deref) {
      E = U->getSubExpr();
      continue;
    }
    break;
  }
  SourceLocation L = E->getExprLoc();
  return L.isValid() ? L : Call->getBeginLoc();
}

SourceLocation CheckContext::stmtLoc(const Stmt *S) const {
  if (const auto *Call = dyn_cast<CallExpr>(S))
    return callLoc(Call);
  return S->getBeginLoc();
}

unsigned CheckContext::line(SourceLocation L) const {
  const SourceManager &SM = Ctx.getSourceManager();
  return SM.getPresumedLineNumber(SM.getFileLoc(L));
}

bool CheckContext::isBefore(SourceLocation A, SourceLocation B) const {
  const SourceManager &SM = Ctx.getSourceManager();
  return SM.isBeforeInTranslationUnit(SM.getFileLoc(A), SM.getFileLoc(B));
}

const Expr *CheckContext::arg(const CallExpr *Call, int Index) const {
  if (Index < 0 || unsigned(Index) >= Call->getNumArgs())
    return nullptr;
  return Call->getArg(unsigned(Index));
}

/// What the path's branch facts say about A: known true, known false, or
/// unknown.
static std::optional<bool> decideAtom(const PathState &S,
                                      const ConditionAtom &A) {
  for (const BranchFact &F : S.Facts) {
    if (F.Atom.V != A.V)
      continue;
    if (F.Atom == A)
      return F.Holds;
    if (!F.Atom.IsLess && F.Holds) // V == c is known
      return A.IsLess ? F.Atom.C < A.C : F.Atom.C == A.C;
    if (F.Atom.IsLess && !A.IsLess) {
      // V < c (or V >= c) is known; is V == k possible?
      if (F.Holds && A.C >= F.Atom.C)
        return false;
      if (!F.Holds && A.C < F.Atom.C)
        return false;
    }
    if (F.Atom.IsLess && A.IsLess) {
      if (F.Holds && A.C >= F.Atom.C)
        return true; // V < c <= k
      if (!F.Holds && A.C <= F.Atom.C)
        return false; // V >= c >= k
    }
  }
  return std::nullopt;
}

bool CheckContext::provablyDifferent(const PathState &S, ValueId A,
                                     ValueId B) const {
  if (Values.provablyDifferent(A, B))
    return true;
  auto ExcludedByFacts = [&](ValueId Const, ValueId V) {
    int64_t C;
    return Values.isConstant(Const, C) &&
           decideAtom(S, ConditionAtom{V, false, C}) == std::optional<bool>(false);
  };
  if (ExcludedByFacts(A, B) || ExcludedByFacts(B, A))
    return true;
  // Not 0: a constant, or a test on the path (`if (offset == 0) return;`),
  // not a range a summary inferred.
  auto NonZero = [&](ValueId V) {
    int64_t C;
    if (Values.isConstant(V, C))
      return C != 0;
    return llvm::is_contained(S.Facts,
                              BranchFact{ConditionAtom{V, false, 0}, false});
  };
  // `va + offset` against `va`, with an offset the path knows is not 0.
  auto Offset = [&](ValueId X, ValueId Y) {
    const ValueInfo &I = Values.info(X);
    return I.Kind == ValueKind::Binary &&
           (I.Opcode == BO_Add || I.Opcode == BO_Sub) &&
           ((I.Operand == Y && NonZero(I.Operand2)) ||
            (I.Opcode == BO_Add && I.Operand2 == Y && NonZero(I.Operand)));
  };
  if (Offset(A, B) || Offset(B, A))
    return true;
  // `x == c1` against `x == c2` (c1 != c2) where the path decided one.
  const ValueInfo &IA = Values.info(A), &IB = Values.info(B);
  int64_t CA, CB;
  if (IA.Kind == ValueKind::Binary && IB.Kind == ValueKind::Binary &&
      IA.Opcode == BO_EQ && IB.Opcode == BO_EQ && IA.Operand == IB.Operand &&
      Values.isConstant(IA.Operand2, CA) && Values.isConstant(IB.Operand2, CB) &&
      CA != CB &&
      (decideAtom(S, ConditionAtom{IA.Operand, false, CA}) ==
           std::optional<bool>(true) ||
       decideAtom(S, ConditionAtom{IB.Operand, false, CB}) ==
           std::optional<bool>(true)))
    return true;
  // A new object (IoGetDmaAdapter, IoAllocateMdl) that the path knows is not
  // NULL is no object that existed before it, nor another new one.
  // The allocation's own result (not a value a later call made from it).
  auto NewObject = [&](ValueId V) -> const CallExpr * {
    const ValueInfo &I = Values.info(V);
    const auto *Call = I.Kind == ValueKind::Fresh && I.Operand == NoValue
                           ? dyn_cast_or_null<CallExpr>(I.Site)
                           : nullptr;
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD || !FD->getIdentifier())
      return nullptr;
    llvm::StringRef N = FD->getName();
    bool Allocates = N == "IoGetDmaAdapter" || N == "IoAllocateMdl" ||
                     N.substr(0, 14) == "ExAllocatePool" ||
                     N == "MmAllocateContiguousMemory";
    return Allocates ? Call : nullptr;
  };
  // What the function was given: a parameter as it entered, or a field
  // reached from one as it was before any call could write it (no epoch).
  // Not a global, nor a field read after a call (an allocation may have
  // stored its result there: IoAllocateMdl(..., Irp) sets Irp->MdlAddress).
  std::function<bool(ValueId, unsigned)> Existed = [&](ValueId V,
                                                       unsigned Depth) {
    const ValueInfo &I = Values.info(V);
    if (I.Kind != ValueKind::Initial || Depth > 4)
      return false;
    if (I.Decl)
      return isa<ParmVarDecl>(I.Decl);
    return I.Field && I.Operand2 == NoValue && Existed(I.Operand, Depth + 1);
  };
  const CallExpr *NA = NewObject(A), *NB = NewObject(B);
  if ((NA && NonZero(A) && (Existed(B, 0) || (NB && NB != NA))) ||
      (NB && NonZero(B) && (Existed(A, 0) || (NA && NA != NB))))
    return true;
  return false;
}

bool CheckContext::inScopeAt(const VarDecl *VD, SourceLocation At) const {
  if (isa<ParmVarDecl>(VD) || !VD->isLocalVarDecl())
    return true;
  // A block-scope local is visible up to the end of its enclosing block.
  DynTypedNodeList Parents = Ctx.getParents(*VD);
  while (!Parents.empty()) {
    if (const auto *CS = Parents[0].get<CompoundStmt>()) {
      const SourceManager &SM = Ctx.getSourceManager();
      SourceLocation End = SM.getFileLoc(CS->getEndLoc());
      return !SM.isBeforeInTranslationUnit(End, SM.getFileLoc(At));
    }
    if (Parents[0].get<FunctionDecl>())
      return true;
    Parents = Ctx.getParents(Parents[0]);
  }
  return true;
}

std::string CheckContext::variableHolding(const PathState &S, ValueId V,
                                          SourceLocation At) const {
  if (V == NoValue)
    return "";
  const VarDecl *Best = nullptr;
  for (const auto &[Loc, Val] : S.Env) {
    if (Loc.What != Location::Variable || Val != V)
      continue;
    const auto *VD =
        dyn_cast<VarDecl>(static_cast<const ValueDecl *>(Loc.Decl));
    if (!VD || !inScopeAt(VD, At))
      continue;
    if (!Best || isBefore(VD->getLocation(), Best->getLocation()))
      Best = VD;
  }
  if (Best)
    return Best->getName().str();
  // A parameter or local never written on this path still holds its
  // initial value.
  const ValueInfo &I = Values.info(V);
  if (I.Kind == ValueKind::Initial && I.Decl)
    if (const auto *VD = dyn_cast<VarDecl>(I.Decl))
      if (!S.Env.count({Location::Variable, VD, NoValue}) && inScopeAt(VD, At))
        return VD->getName().str();
  return "";
}

std::vector<FindingNote> CheckContext::pathNotes(
    const PathState &S, const Transfer &T, std::vector<FindingNote> AtMap,
    const Highlights &Along) const {
  std::vector<FindingNote> Notes;
  Notes.push_back({callLoc(T.MapCall),
                   "transfer mapped here by '" + callee(T.MapCall).CalleeName +
                       "'"});
  for (FindingNote &N : AtMap)
    Notes.push_back(std::move(N));
  if (T.Clamp)
    Notes.push_back({T.Clamp->getBeginLoc(),
                     "assuming '" + spell(T.Clamp) + "' is " +
                         (T.ClampBranch ? "true" : "false") +
                         ": the length mapped was clamped"});
  if (T.Producer && T.SeededAt)
    Notes.push_back({T.SeededAt->getExprLoc(),
                     "'" + spell(T.SeededAt) +
                         "' holds the transfer that '" +
                         T.Producer->getNameAsString() +
                         "' left mapped when it returned"});
  std::vector<bool> Shown(Along.size(), false);
  for (const PathStep &Step : S.Trail) {
    switch (Step.What) {
    case PathStep::Update:
    case PathStep::Release:
      for (size_t I = 0; I < Along.size(); ++I)
        if (Along[I].first == Step.At && !Shown[I]) {
          Notes.push_back({stmtLoc(Step.At), Along[I].second});
          Shown[I] = true;
        }
      break;
    case PathStep::AssumeTrue:
    case PathStep::AssumeFalse:
      Notes.push_back({Step.At->getBeginLoc(),
                       "assuming '" + spell(cast<Expr>(Step.At)) + "' is " +
                           (Step.What == PathStep::AssumeTrue ? "true"
                                                              : "false")});
      break;
    case PathStep::Case:
      if (const auto *CS = dyn_cast<CaseStmt>(Step.At))
        Notes.push_back({CS->getBeginLoc(),
                         "taking 'case " + spell(CS->getLHS()) + "'"});
      break;
    case PathStep::Default:
      Notes.push_back({Step.At->getBeginLoc(), "taking the default branch"});
      break;
    case PathStep::Goto:
      if (const auto *G = dyn_cast<GotoStmt>(Step.At))
        Notes.push_back({G->getBeginLoc(),
                         "jumping to '" + G->getLabel()->getName().str() +
                             "'"});
      break;
    }
  }
  for (size_t I = 0; I < Along.size(); ++I)
    if (!Shown[I])
      Notes.push_back({stmtLoc(Along[I].first), Along[I].second});
  return Notes;
}

std::string CheckContext::mapAt(const Transfer &T) const {
  std::string At = "line " + std::to_string(line(callLoc(T.MapCall)));
  if (T.MapFn)
    At += " in '" + T.MapFn->getNameAsString() + "'";
  return At;
}

std::string CheckContext::releaseVerb(const Transfer &T) const {
  switch (T.ReleaseKind) {
  case EventKind::CompleteRequest:
    return "completes the IRP";
  case EventKind::FreeMapRegisters:
    return "frees the map registers";
  case EventKind::FreeAdapterChannel:
    return "frees the adapter channel";
  case EventKind::PutAdapter:
    return "releases the DMA adapter";
  default:
    return "releases the transfer";
  }
}

//===----------------------------------------------------------------------===//
// Which functions have DMA effects (so a call to one is an unknown effect).
//===----------------------------------------------------------------------===//

namespace {

/// What a call to a routine that is not itself an event may do to transfers.
enum class DmaEffects {
  None,    // the system's routines, and same-file functions with no events
  Known,   // a same-file function that maps, flushes, releases or completes
  Unknown, // a driver routine defined in another file
};

/// An argument of a helper's DMA call, in terms of the helper's parameters:
/// parameter Index itself, or its field Field (`ext->DmaAdapter`).
struct ParamRef {
  int Index = -1;
  const FieldDecl *Field = nullptr;
};

/// A DMA call a same-file helper makes on every path through it.
struct HelperEffect {
  EventKind Kind;
  ParamRef Adapter, Mdl, MapRegisterBase, CurrentVa, Length, WriteToDevice,
      Irp;
  const CallExpr *Inside; // the call in the helper, for the note
};

/// What a call to a same-file helper does to transfers, when that is exact:
/// it flushes, releases or completes on every path, with arguments that are
/// its parameters or their fields, and does nothing else DMA-related.
struct HelperSummary {
  std::vector<HelperEffect> Effects;
  EventRule Rule; // names the helper in messages
};

/// Where a value is when a function returns, in terms of its parameters:
/// parameter Index itself, or field Field of the object it points to (of
/// the object its field Via points to: `DeviceObject->DeviceExtension->F`),
/// or a constant.
struct SlotRef {
  enum Kind : uint8_t { Nowhere, InParam, InField, IsConst };
  Kind K = Nowhere;
  int Index = -1;
  const FieldDecl *Via = nullptr;
  const FieldDecl *Field = nullptr;
  int64_t C = 0;
  bool operator==(const SlotRef &O) const {
    return K == O.K && Index == O.Index && Via == O.Via && Field == O.Field &&
           C == O.C;
  }
};

/// A location that holds one of the transfer's values moved on (the cursor
/// advanced past the operation, the counter run down), first at Site.
struct MovedRef {
  SlotRef Where;
  unsigned Slot;
  int Dir;
  const Stmt *Site;
  bool operator==(const MovedRef &O) const {
    return Where == O.Where && Slot == O.Slot && Dir == O.Dir;
  }
};

struct ConstRef {
  SlotRef Where;
  int64_t C;
  /// Not the constant, but a count at least C: a counter the function ran
  /// up from 0 (`ext->SegCount = n` after `n++` in the map loop), so a
  /// later loop over it runs at least once.
  bool AtLeast = false;
  bool operator==(const ConstRef &O) const {
    return Where == O.Where && C == O.C && AtLeast == O.AtLeast;
  }
};

/// A comparison with a constant that a path assumed about what its function
/// was given (a parameter, or a field of the object one points to, as they
/// were on entry).
struct EntryFact {
  SlotRef Where;
  bool IsLess = false;
  int64_t C = 0;
  bool Holds = true;
  bool operator==(const EntryFact &O) const {
    return Where == O.Where && IsLess == O.IsLess && C == O.C &&
           Holds == O.Holds;
  }
};

/// One kind of return of a function: the transfer it leaves open, if any,
/// where each of its values is then, what else it left in the same object,
/// what the paths that return this way assumed about the function's
/// arguments, and the constant they return.
struct ExitCase {
  bool Open = false;
  const CallExpr *MapCall = nullptr;
  const FunctionDecl *MapFn = nullptr;
  bool Several = false;
  SlotRef Slots[Transfer::NumValueSlots];
  std::vector<MovedRef> Moved;
  std::vector<ConstRef> Constants;
  std::vector<EntryFact> Entry;
  std::optional<int64_t> Returned;
  const Expr *Clamp = nullptr; // for the notes (Transfer::Clamp)
  bool ClampBranch = false;

  /// The same return, up to what its paths assumed.
  bool sameOutcome(const ExitCase &O) const {
    if (Open != O.Open || MapCall != O.MapCall || Several != O.Several ||
        Returned != O.Returned || Moved.size() != O.Moved.size() ||
        Constants.size() != O.Constants.size())
      return false;
    for (unsigned K = 0; K < Transfer::NumValueSlots; ++K)
      if (!(Slots[K] == O.Slots[K]))
        return false;
    for (const MovedRef &M : Moved)
      if (llvm::find(O.Moved, M) == O.Moved.end())
        return false;
    for (const ConstRef &C : Constants)
      if (llvm::find(O.Constants, C) == O.Constants.end())
        return false;
    return true;
  }
};

/// How a function returns: one case per distinct outcome (at most
/// MaxExitCases; beyond that, cases of one outcome kind are merged to what
/// they agree on), each true on the paths it describes. A caller continues
/// in one state per case its arguments do not rule out.
struct ExitSummary {
  static constexpr size_t MaxExitCases = 8;
  bool Exact = true;
  std::vector<ExitCase> Cases;
  bool opens() const {
    return llvm::any_of(Cases, [](const ExitCase &C) { return C.Open; });
  }
};

/// A transfer stored in the device extension when a routine returned to the
/// system: which field holds each of its values, which fields hold them moved
/// on, and which fields held constants. Another routine that reads those
/// fields (the DPC) starts with it open.
struct StoredTransfer {
  const RecordDecl *Record = nullptr;
  /// The routine that left it (the first, when several left the same).
  const FunctionDecl *Producer = nullptr;
  /// The transfer as it was left: its slots, moved fields and constants
  /// (the guards) are fields of Record (SlotRef::InField, no parameter).
  ExitCase Case;
  const FieldDecl *field(unsigned Slot) const {
    const SlotRef &R = Case.Slots[Slot];
    return R.K == SlotRef::InField ? R.Field : nullptr;
  }
};

/// The fields a function may write through the pointers it is given
/// (directly, through its callees, or through the callbacks it hands to the
/// system with those pointers as context).
struct FieldWrites {
  bool All = false;
  std::set<std::string> Fields; // fieldKey()
};

/// "record.field", the same in every file of the driver.
static std::string fieldKey(const FieldDecl *F) {
  const RecordDecl *RD = F->getParent();
  std::string Record = RD->getName().str();
  if (Record.empty())
    if (const TypedefNameDecl *T = RD->getTypedefNameForAnonDecl())
      Record = T->getName().str();
  return Record + "." + F->getName().str();
}

/// Registrations and role declarations: which routine the system calls as
/// what.
static const char *roleOfTypedef(llvm::StringRef Name) {
  if (Name == "DRIVER_CONTROL")
    return "adapter-control";
  if (Name == "IO_DPC_ROUTINE" || Name == "KDEFERRED_ROUTINE")
    return "dpc";
  if (Name == "KSERVICE_ROUTINE")
    return "isr";
  if (Name == "DRIVER_STARTIO")
    return "start-io";
  if (Name == "DRIVER_DISPATCH")
    return "dispatch";
  if (Name == "DRIVER_CANCEL")
    return "cancel";
  return nullptr;
}

/// The routine an argument names (`RefDpc`, `(PKDEFERRED_ROUTINE)RefDpc`).
static const FunctionDecl *routineNamed(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(DRE->getDecl());
  return nullptr;
}

class EventScanner : public RecursiveASTVisitor<EventScanner> {
public:
  EventScanner(const EventRecognizer &R) : R(R) {}
  bool VisitExpr(Expr *E) {
    HasErrors |= E->containsErrors();
    return true;
  }
  bool VisitMemberExpr(MemberExpr *M) {
    if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl()))
      FieldRefs.insert(F);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    // DriverObject->DriverStartIo = X; DriverObject->MajorFunction[i] = X;
    if (B->getOpcode() != BO_Assign)
      return true;
    const FunctionDecl *Routine = routineNamed(B->getRHS());
    if (!Routine)
      return true;
    const Expr *L = B->getLHS()->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<ArraySubscriptExpr>(L))
      L = A->getBase()->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MemberExpr>(L)) {
      llvm::StringRef Field = M->getMemberDecl()->getName();
      if (Field == "DriverStartIo")
        Roles.push_back({Routine, "start-io"});
      else if (Field == "MajorFunction")
        Roles.push_back({Routine, "dispatch"});
    }
    return true;
  }
  bool VisitSEHTryStmt(SEHTryStmt *T) {
    HasFinally |= T->getFinallyHandler() != nullptr;
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    if (auto Ev = R.recognise(C)) {
      AnyEvent = true;
      if (Ev->Rule->Kind == EventKind::Map)
        AnyMap = true;
      else
        AnyOtherEvent = true;
      int Routine = Ev->Rule->Arguments.Routine;
      if (Ev->Rule->Kind == EventKind::AllocateChannel && Routine >= 0 &&
          unsigned(Routine) < C->getNumArgs())
        if (const FunctionDecl *FD = routineNamed(C->getArg(unsigned(Routine))))
          Roles.push_back({FD, "adapter-control"});
    } else if (const FunctionDecl *FD = C->getDirectCallee()) {
      Callees.push_back(FD);
      struct Registration {
        const char *Callee;
        unsigned Arg;
        const char *Role;
      };
      static const Registration Known[] = {
          {"KeInitializeDpc", 1, "dpc"},
          {"KeInitializeThreadedDpc", 1, "dpc"},
          {"IoInitializeDpcRequest", 1, "dpc"},
          {"IoConnectInterrupt", 1, "isr"},
          {"IoSetCancelRoutine", 1, "cancel"},
      };
      for (const Registration &Reg : Known)
        if (FD->getName() == Reg.Callee && Reg.Arg < C->getNumArgs())
          if (const FunctionDecl *Routine = routineNamed(C->getArg(Reg.Arg)))
            Roles.push_back({Routine, Reg.Role});
    }
    return true;
  }
  const EventRecognizer &R;
  bool AnyEvent = false, AnyMap = false, AnyOtherEvent = false,
       HasErrors = false, HasFinally = false;
  std::vector<const FunctionDecl *> Callees;
  std::set<const FieldDecl *> FieldRefs;
  std::vector<std::pair<const FunctionDecl *, std::string>> Roles;
};

/// The fields a function body writes itself, and what else it depends on
/// for that: callees, callbacks it names, and whether it writes through a
/// pointer or hands one to code we cannot see.
class WriteScanner : public RecursiveASTVisitor<WriteScanner> {
public:
  WriteScanner(const EventRecognizer &R, OsCode &Os) : R(R), Os(Os) {}
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp())
      target(B->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf)
      target(U->getSubExpr());
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (auto Ev = R.recognise(C)) {
      // The DMA routines write no driver memory, except the mapped length
      // MapTransfer returns through its Length pointer: `&x` is seen as a
      // write of x; any other pointer may point anywhere.
      if (const auto *DRE = dyn_cast<DeclRefExpr>(
              C->getCallee()->IgnoreParenImpCasts()))
        CalleeRefs.insert(DRE);
      int L = Ev->Rule->Arguments.Length;
      if (Ev->Rule->Kind == EventKind::Map && L >= 0 &&
          unsigned(L) < C->getNumArgs()) {
        const auto *U =
            dyn_cast<UnaryOperator>(C->getArg(unsigned(L))->IgnoreParenImpCasts());
        if (!U || U->getOpcode() != UO_AddrOf)
          All = true;
      }
      return true;
    }
    if (FD) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(
              C->getCallee()->IgnoreParenImpCasts()))
        CalleeRefs.insert(DRE);
      Callees.push_back(FD);
      bool Callback = false;
      bool PlainPointer = false;
      bool System = Os.isSystemRoutine(FD);
      for (unsigned I = 0; I < C->getNumArgs(); ++I) {
        const Expr *Arg = C->getArg(I);
        Callback |= routineNamed(Arg) != nullptr;
        const Expr *A = Arg->IgnoreParenImpCasts();
        QualType T = A->getType();
        if (!isa<DeclRefExpr>(A) || !T->isPointerType() ||
            T->getPointeeType().isConstQualified())
          continue;
        // The system writes through the parameters it declares (a
        // variadic DbgPrint or __noop writes nothing), and of the driver's
        // memory only what it is handed as memory or as the driver's own
        // object (RtlZeroMemory(ext, ...)), not what an OS object it is
        // given leads to (IoStartNextPacket(DeviceObject, ...)).
        if (System) {
          if (I >= FD->getNumParams())
            continue;
          const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
          if (RD && !Os.isDrivers(RD))
            continue;
        }
        PlainPointer = true;
      }
      // A system routine given an object pointer may write all of it
      // (RtlZeroMemory(ext, ...)), unless the pointer is the context of a
      // callback it is also given (KeSynchronizeExecution(i, Sync, ext)):
      // then the callback's writes count, and they are collected.
      if (PlainPointer && !Callback)
        PointerCalls.push_back(FD);
      return true;
    }
    // Through a pointer: may write anything it is given.
    for (const Expr *Arg : C->arguments())
      if (Arg->getType()->isPointerType())
        All = true;
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      if (!CalleeRefs.count(DRE))
        Callbacks.push_back(FD);
    return true;
  }
  bool All = false;
  std::set<std::string> Fields;
  std::vector<const FunctionDecl *> Callees, Callbacks, PointerCalls;
  std::set<const DeclRefExpr *> CalleeRefs;

private:
  const EventRecognizer &R;
  OsCode &Os;
  void target(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    while (const auto *A = dyn_cast<ArraySubscriptExpr>(E)) {
      const Expr *Base = A->getBase()->IgnoreParenImpCasts();
      if (!isa<MemberExpr>(Base) && !isa<DeclRefExpr>(Base)) {
        All = true;
        return;
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Base)) {
        // p[i] through a pointer writes what it points to; a local array is
        // the function's own.
        if (DRE->getType()->isPointerType())
          All = true;
        return;
      }
      E = Base;
    }
    if (const auto *M = dyn_cast<MemberExpr>(E)) {
      if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl()))
        Fields.insert(fieldKey(F));
      return;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_Deref)
      All = true;
  }
};

/// The routines a body hands to KeSynchronizeExecution.
class SyncScanner : public RecursiveASTVisitor<SyncScanner> {
public:
  bool VisitCallExpr(CallExpr *C) {
    if (const FunctionDecl *FD = C->getDirectCallee())
      if (FD->getName() == "KeSynchronizeExecution")
        for (const Expr *Arg : C->arguments())
          if (const FunctionDecl *R = routineNamed(Arg))
            Routines.push_back(R);
    return true;
  }
  std::vector<const FunctionDecl *> Routines;
};

struct FunctionFacts {
  bool AnyEvent = false;
  bool AnyMap = false;
  bool AnyOtherEvent = false;
  bool HasErrors = false;
  bool HasFinally = false;
  std::vector<const FunctionDecl *> Callees;
  std::set<const FieldDecl *> FieldRefs;
};

class Engine {
public:
  Engine(ASTContext &Ctx, const ApiModel &Model, const AnalysisOptions &Opts,
         AnalysisResult &Result)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Recognizer(Model), Opts(Opts),
        Result(Result) {}

  void analyzeTranslationUnit();

  DmaEffects dmaEffects(const FunctionDecl *FD);
  const HelperSummary *summaryOf(const FunctionDecl *FD);
  /// A same-file function whose only DMA effect is to map: the transfer it
  /// leaves open, for its callers; null when that is not exact.
  const ExitSummary *mapSummaryOf(const FunctionDecl *FD);
  /// What a call may write through its pointer arguments; null: anything.
  const FieldWrites *writesOf(const FunctionDecl *FD);
  bool hasRole(const FunctionDecl *FD, llvm::StringRef Role);
  bool isSystemRoutine(const FunctionDecl *FD) const {
    return Os.isSystemRoutine(FD);
  }
  bool tableReadOnly(const VarDecl *VD);
  /// A call with effects we cannot see ended what we knew of T.
  void noteSilenced(const FunctionDecl *In, const CallExpr *Call,
                    const Transfer &T, const char *Why);

private:
  const FunctionFacts &factsOf(const FunctionDecl *FD);
  /// The driver's own code, not the system's (kernel headers, builtins).
  bool isOurs(const Decl *D) const { return Os.isDrivers(D); }
  const RoutineFacts *external(const FunctionDecl *FD);
  const std::vector<const FunctionDecl *> &inBetween();
  bool writtenInBetween(const FieldDecl *F);
  std::vector<const FunctionDecl *> InBetween;
  bool InBetweenDone = false;
  void collectRoles();
  const ExitSummary &analyzeFunction(const FunctionDecl *FD);
  void runWalker(const FunctionDecl *FD,
                 const std::vector<const StoredTransfer *> &Seeds,
                 ExitSummary *Exit);
  void storeTransfers();
  void exportFacts();

  ASTContext &Ctx;
  SourceManager &SM;
  mutable OsCode Os{SM};
  EventRecognizer Recognizer;
  const AnalysisOptions &Opts;
  AnalysisResult &Result;
  llvm::DenseMap<const FunctionDecl *, FunctionFacts> Facts;
  llvm::DenseMap<const FunctionDecl *, DmaEffects> Effects;
  std::map<const FunctionDecl *, std::unique_ptr<HelperSummary>> Summaries;
  std::map<const FunctionDecl *, ExitSummary> Exits;
  std::set<const FunctionDecl *> Analysing;
  std::map<const FunctionDecl *, std::unique_ptr<FieldWrites>> Writes;
  std::map<const FunctionDecl *, std::set<std::string>> Roles;
  std::set<const FunctionDecl *> Called; // called directly by the TU's code
  std::vector<const FunctionDecl *> Defined;
  std::vector<std::unique_ptr<StoredTransfer>> Stored;
  std::set<std::tuple<unsigned, unsigned, std::string>> Emitted;
  llvm::DenseMap<const VarDecl *, bool> ReadOnlyTables;
};

/// The walk over one function.
class FunctionWalker {
public:
  FunctionWalker(ASTContext &Ctx, const EventRecognizer &Recognizer,
                 const AnalysisOptions &Opts, Engine &Owner,
                 std::vector<const StoredTransfer *> Seeds, ExitSummary *Exit,
                 std::function<void(Finding)> Emit)
      : Ctx(Ctx), Recognizer(Recognizer), Opts(Opts), Owner(Owner),
        Seeds(std::move(Seeds)), Exit(Exit),
        Checks(Ctx, Values, Opts.Checks,
               [this](const CallExpr *C) -> const RecognisedCall & {
                 return *recognised(C);
               },
               std::move(Emit)) {}

  /// Returns an empty string when the function was analysed completely, or
  /// why not.
  std::string run(const FunctionDecl *FD, bool HasFinally);
  /// A path dropped because no successor accepted it, if any.
  const std::string &lostPath() const { return Lost; }

private:
  struct BlockStates {
    std::vector<PathState> States;
    std::vector<bool> Dirty;
  };

  // Events and statements.
  const RecognisedCall *recognised(const CallExpr *C);
  void transfer(PathState &S, const Stmt *St);
  void onCall(PathState &S, const CallExpr *Call);
  void onEvent(PathState &S, const CallExpr *Call, const RecognisedCall &Ev);
  void onMap(PathState &S, const CallExpr *Call, const RecognisedCall &Ev);
  void onFlush(PathState &S, const CallExpr *Call, const RecognisedCall &Ev);
  void onRelease(PathState &S, const CallExpr *Call, const RecognisedCall &Ev);
  void flushWith(PathState &S, const FlushSite &F);
  void releaseWith(PathState &S, const CallExpr *Call, EventKind Kind,
                   ValueId Adapter, ValueId Base, ValueId Irp);
  void applyHelper(PathState &S, const CallExpr *Call,
                   const HelperSummary &H);
  ValueId paramValue(PathState &S, const CallExpr *Call, const ParamRef &R);
  void callMapHelper(PathState &S, const CallExpr *Call,
                     const ExitSummary &Sum, const FieldWrites *W);
  bool enterCase(PathState &S, const CallExpr *Call, const ExitCase &O);
  void addFork(PathState W, const CallExpr *Call);
  void applyMapSummary(PathState &S, const CallExpr *Call,
                       const ExitCase &O);
  std::optional<Location> slotLocation(PathState &S, const CallExpr *Call,
                                       const SlotRef &R);
  void openTransfer(PathState &S, Transfer T, const CallExpr *Call);
  void pinFacts(PathState &S);
  bool correlates(const BranchFact &F) const;
  void invalidateThroughArguments(PathState &S, const CallExpr *Call,
                                  const FieldWrites *W);
  void maybeSeed(PathState &S, const RecordDecl *RD, ValueId Base,
                 const Expr *At);
  SlotRef slotRefOf(const PathState &S, ValueId V) const;
  SlotRef baseRefOf(ValueId Base) const;
  SlotRef entryRefOf(ValueId V) const;
  Location returnLocation() const;
  void summarizeExit(const PathState &S);
  void reportLostMapping(const PathState &S, const Transfer &T);
  bool callTouches(PathState &S, const CallExpr *Call, const Transfer &T);
  ValueId roleValue(PathState &S, const CallExpr *Call, int Index);

  // Values.
  ValueId eval(PathState &S, const Expr *E);
  std::optional<Location> locationOf(PathState &S, const Expr *E);
  std::optional<Location> pointee(ValueId Pointer);
  ValueId addressOf(PathState &S, const Expr *E);
  ValueId read(PathState &S, const Location &L);
  ValueId initialValue(const PathState &S, const Location &L);
  void write(PathState &S, const Location &L, ValueId V);
  static bool outlivesCall(const Location &L);
  bool readOnlyHere(const VarDecl *VD);
  ValueId epochOf(const PathState &S, ValueId Base) const {
    auto It = S.Epochs.find(Base);
    return It == S.Epochs.end() ? NoValue : It->second;
  }
  ValueId assign(PathState &S, const BinaryOperator *B);
  ValueId update(PathState &S, const Expr *Target, ValueId Delta, int Dir,
                 const Stmt *Site);

  // Branches.
  struct Condition {
    bool Known = false;
    bool KnownValue = false;
    ConditionAtom Atom;
    bool Negated = false; // the condition is !(Atom)
  };
  Condition condition(PathState &S, const Expr *E);
  void assume(PathState &S, const ConditionAtom &A, bool Holds);
  void successors(const CFGBlock &B, PathState &S);
  void lostPath(const PathState &S, const Stmt *At);
  bool flagSetApart(const PathState &A, const PathState &B);
  int clampAt(const CFGBlock &B, const Expr *Cond);
  void addStep(PathState &S, PathStep::Kind K, const Stmt *At) {
    if (S.Transfers.empty())
      return;
    if (S.Trail.size() >= 24)
      S.Trail.erase(S.Trail.begin());
    S.Trail.push_back({K, At});
  }

  // Merging.
  void propagate(const CFGBlock *To, PathState S);
  void computeMoved(PathState &S);
  bool joinInto(uint64_t Block, PathState &Into, const PathState &From);
  void atExit(PathState S);
  void giveUp(const std::string &Why) {
    if (Incomplete.empty())
      Incomplete = Why;
  }

  ASTContext &Ctx;
  const EventRecognizer &Recognizer;
  const AnalysisOptions &Opts;
  Engine &Owner;
  std::vector<const StoredTransfer *> Seeds;
  ExitSummary *Exit;
  const FunctionDecl *Current = nullptr;
  bool IsAdapterControl = false;
  ValueTable Values;
  CheckContext Checks;

  std::unique_ptr<CFG> Graph;
  std::vector<BlockStates> Blocks;
  std::vector<const CFGBlock *> ById;
  std::vector<bool> EventBlocks; // blocks with a DMA event call
  std::vector<unsigned> Order; // block id -> reverse post-order position
  std::set<std::pair<unsigned, unsigned>> Worklist; // (order, block id)
  // Node-based: references to a recognised call stay valid while others are
  // added.
  std::unordered_map<const CallExpr *, std::optional<RecognisedCall>> Calls;
  std::string Incomplete;
  std::string Lost;
  unsigned Steps = 0;
  unsigned EvalDepth = 0;
  unsigned long long ValueWork = 0;
  bool Stopped = false;
  /// The element of the current block being walked; states forked there
  /// (one per way a helper returns) resume after it.
  size_t CurrentElement = 0;
  unsigned CurrentBlock = 0;
  std::vector<std::pair<PathState, size_t>> Forks;
  /// The current path cannot go on (no way a helper returns fits it).
  bool PathDead = false;
  /// The states that reached the exit, merged like a block's.
  std::vector<PathState> ExitStates;
};

} // namespace

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

static const Expr *stripCasts(const Expr *E) {
  for (;;) {
    E = E->IgnoreParens();
    if (const auto *C = dyn_cast<CastExpr>(E)) {
      if (C->getCastKind() == CK_LValueToRValue)
        return E;
      E = C->getSubExpr();
      continue;
    }
    return E;
  }
}

ValueId FunctionWalker::initialValue(const PathState &S, const Location &L) {
  switch (L.What) {
  case Location::Variable:
    return Values.initialLocal(static_cast<const ValueDecl *>(L.Decl));
  case Location::Field:
    return Values.initialField(L.Base, static_cast<const FieldDecl *>(L.Decl),
                               epochOf(S, L.Base));
  case Location::Deref:
    return Values.initialDeref(L.Base, epochOf(S, L.Base));
  }
  return NoValue;
}

ValueId FunctionWalker::read(PathState &S, const Location &L) {
  auto It = S.Env.find(L);
  return It != S.Env.end() ? It->second : initialValue(S, L);
}

void FunctionWalker::write(PathState &S, const Location &L, ValueId V) {
  S.Env[L] = V;
  if (V == NoValue || !outlivesCall(L))
    return;
  for (Transfer &T : S.Transfers)
    if (T.MapRegisterBase == V)
      T.BaseKept = true;
}

/// A place a later routine can find a value in: not a local.
bool FunctionWalker::outlivesCall(const Location &L) {
  if (L.What != Location::Variable)
    return true;
  const auto *VD = dyn_cast<VarDecl>(static_cast<const ValueDecl *>(L.Decl));
  return VD && VD->hasGlobalStorage();
}

std::optional<Location> FunctionWalker::pointee(ValueId Pointer) {
  const ValueInfo &I = Values.info(Pointer);
  if (I.Kind == ValueKind::AddrOf)
    return Location{Location::Variable, I.Decl, NoValue};
  if (I.Kind == ValueKind::FieldAddr)
    return Location{Location::Field, I.Field, I.Operand};
  return Location{Location::Deref, nullptr, Pointer};
}

std::optional<Location> FunctionWalker::locationOf(PathState &S,
                                                   const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return Location{Location::Variable, VD, NoValue};
    return std::nullopt;
  }
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl());
    if (!FD)
      return std::nullopt;
    ValueId Base =
        M->isArrow() ? eval(S, M->getBase()) : addressOf(S, M->getBase());
    if (Base == NoValue)
      return std::nullopt;
    if (S.PendingSeed)
      maybeSeed(S, FD->getParent(), Base, M->getBase());
    return Location{Location::Field, FD, Base};
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_Deref)
    return pointee(eval(S, U->getSubExpr()));
  if (const auto *C = dyn_cast<CastExpr>(E);
      C && C->getCastKind() == CK_NoOp)
    return locationOf(S, C->getSubExpr());
  return std::nullopt;
}

ValueId FunctionWalker::addressOf(PathState &S, const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return Values.addressOf(DRE->getDecl());
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    auto L = locationOf(S, M);
    if (L && L->What == Location::Field)
      return Values.fieldAddress(L->Base,
                                 static_cast<const FieldDecl *>(L->Decl));
    return NoValue;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_Deref)
    return eval(S, U->getSubExpr());
  // An element of a global table this function only reads
  // (`Table[cmd & MASK].Kind`): the same element for the same index value,
  // so two tests of it correlate.
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E)) {
    const auto *DRE =
        dyn_cast<DeclRefExpr>(A->getBase()->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (VD && VD->hasGlobalStorage() && VD->getType()->isArrayType() &&
        readOnlyHere(VD))
      return Values.binary(BO_Add, Values.addressOf(VD), eval(S, A->getIdx()));
  }
  return NoValue;
}

namespace {
/// How the driver uses a global table: written (an assignment, increment or
/// address taken of anything rooted at it, an element handed to a call), or
/// escaping (named other than as the base of a subscript: `p = Table;`, so
/// that it may be written through an alias).
class TableUses : public RecursiveASTVisitor<TableUses> {
public:
  explicit TableUses(const VarDecl *VD) : VD(VD) {}
  bool VisitArraySubscriptExpr(ArraySubscriptExpr *A) {
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(A->getBase()->IgnoreParenImpCasts()))
      Subscripted.insert(DRE);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (DRE->getDecl() == VD && !Subscripted.count(DRE))
      Unsafe = true;
    return !Unsafe;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp() && rooted(B->getLHS()))
      Unsafe = true;
    return !Unsafe;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if ((U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf) &&
        rooted(U->getSubExpr()))
      Unsafe = true;
    return !Unsafe;
  }
  bool VisitCallExpr(CallExpr *C) {
    for (const Expr *Arg : C->arguments())
      if (Arg->getType()->isPointerType() && rooted(Arg))
        Unsafe = true;
    return !Unsafe;
  }
  bool Unsafe = false;

private:
  bool rooted(const Expr *E) const {
    for (;;) {
      E = E->IgnoreParenCasts();
      if (const auto *M = dyn_cast<MemberExpr>(E); M && !M->isArrow())
        E = M->getBase();
      else if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
        E = A->getBase();
      else
        break;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    return DRE && DRE->getDecl() == VD;
  }
  const VarDecl *VD;
  std::set<const DeclRefExpr *> Subscripted;
};
} // namespace

/// A global table the driver only reads: defined here with its contents (or
/// const), and nothing in the translation unit writes it or lets it escape.
bool Engine::tableReadOnly(const VarDecl *VD) {
  VD = VD->getCanonicalDecl();
  auto [It, New] = ReadOnlyTables.try_emplace(VD, false);
  if (!New)
    return It->second;
  const VarDecl *Def = VD->getDefinition();
  bool ReadOnly = VD->getType().isConstQualified() ||
                  (Def && Def->hasInit() && isOurs(Def));
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    if (!ReadOnly)
      break;
    if (!isOurs(D) || (!isa<FunctionDecl>(D) && !isa<VarDecl>(D)))
      continue;
    if (const auto *V = dyn_cast<VarDecl>(D); V && V->getCanonicalDecl() == VD)
      continue; // its own initialiser
    TableUses Scan(VD);
    Scan.TraverseDecl(const_cast<Decl *>(D));
    ReadOnly = !Scan.Unsafe;
  }
  return It->second = ReadOnly;
}

bool FunctionWalker::readOnlyHere(const VarDecl *VD) {
  return Owner.tableReadOnly(VD);
}

ValueId FunctionWalker::eval(PathState &S, const Expr *E) {
  if (!E)
    return NoValue;
  // Deep expressions (a 20,000-term sum) are unknown rather than a deep
  // recursion.
  if (EvalDepth > 256)
    return Values.fresh(E);
  struct DepthGuard {
    unsigned &D;
    explicit DepthGuard(unsigned &D) : D(D) { ++D; }
    ~DepthGuard() { --D; }
  } Guard(EvalDepth);
  E = E->IgnoreParens();
  auto Done = S.Evaluated.find(E);
  if (Done != S.Evaluated.end())
    return Done->second;

  if (const auto *IL = dyn_cast<IntegerLiteral>(E))
    return Values.constant(int64_t(IL->getValue().getLimitedValue()));
  if (const auto *CL = dyn_cast<CharacterLiteral>(E))
    return Values.constant(CL->getValue());

  if (const auto *C = dyn_cast<CastExpr>(E)) {
    if (C->getCastKind() == CK_LValueToRValue) {
      if (auto L = locationOf(S, C->getSubExpr()))
        return read(S, *L);
      return Values.fresh(E);
    }
    if (C->getCastKind() == CK_NullToPointer ||
        C->getCastKind() == CK_ArrayToPointerDecay ||
        C->getCastKind() == CK_FunctionToPointerDecay) {
      if (C->getCastKind() == CK_NullToPointer)
        return Values.constant(0);
      if (C->getCastKind() == CK_ArrayToPointerDecay)
        return addressOf(S, C->getSubExpr());
    }
    return eval(S, C->getSubExpr());
  }

  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return Values.constant(EC->getInitVal().getSExtValue());
    if (isa<FunctionDecl>(DRE->getDecl()))
      return Values.addressOf(DRE->getDecl());
    return Values.fresh(E);
  }

  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    switch (U->getOpcode()) {
    case UO_LNot:
      return Values.logicalNot(eval(S, U->getSubExpr()));
    case UO_AddrOf: {
      ValueId A = addressOf(S, U->getSubExpr());
      return A != NoValue ? A : Values.fresh(E);
    }
    case UO_Deref:
      if (auto L = locationOf(S, E))
        return read(S, *L);
      return Values.fresh(E);
    case UO_Plus:
      return eval(S, U->getSubExpr());
    case UO_Minus:
      return Values.binary(BO_Sub, Values.constant(0),
                           eval(S, U->getSubExpr()));
    default:
      // ++/-- are statements of their own and were evaluated already.
      return Values.fresh(E);
    }
  }

  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    if (B->isAssignmentOp())
      return Values.fresh(E);
    if (B->getOpcode() == BO_Comma)
      return eval(S, B->getRHS());
    if (B->isLogicalOp())
      return Values.fresh(E);
    return Values.binary(B->getOpcode(), eval(S, B->getLHS()),
                         eval(S, B->getRHS()));
  }

  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    // A min/max this path went through one way (PathState::Splits).
    const Expr *Cond = CO->getCond()->IgnoreParens();
    for (const auto &[At, Branch] : S.Splits)
      if (At == Cond)
        return eval(S, Branch ? CO->getTrueExpr() : CO->getFalseExpr());
    ValueId T = eval(S, CO->getTrueExpr()), F = eval(S, CO->getFalseExpr());
    return T == F ? T : Values.fresh(E);
  }

  if (isa<MemberExpr>(E)) {
    // An rvalue member that is not loaded (an array or function member).
    if (auto L = locationOf(S, E))
      if (L->What == Location::Field)
        return Values.fieldAddress(L->Base,
                                   static_cast<const FieldDecl *>(L->Decl));
    return Values.fresh(E);
  }

  if (!E->isValueDependent() && !E->containsErrors() &&
      (E->getType()->isIntegerType() || E->getType()->isPointerType())) {
    Expr::EvalResult R;
    if (E->EvaluateAsInt(R, Ctx) && R.Val.isInt())
      return Values.constant(R.Val.getInt().getExtValue());
  }
  return Values.fresh(E);
}

/// `x = e`: a plain store, except `x = x + d` / `x = (T)x - d`, which is an
/// in-place update of x (the cursor idiom).
ValueId FunctionWalker::assign(PathState &S, const BinaryOperator *B) {
  auto Target = locationOf(S, B->getLHS());
  ValueId V;
  const Expr *RHS = stripCasts(B->getRHS());
  const auto *Arith = dyn_cast<BinaryOperator>(RHS);
  bool InPlace = false;
  if (Target && Arith &&
      (Arith->getOpcode() == BO_Add || Arith->getOpcode() == BO_Sub)) {
    const Expr *Operand = stripCasts(Arith->getLHS());
    if (const auto *Load = dyn_cast<CastExpr>(Operand);
        Load && Load->getCastKind() == CK_LValueToRValue)
      if (auto From = locationOf(S, Load->getSubExpr()); From && *From == *Target) {
        V = Values.advance(B, read(S, *Target), eval(S, Arith->getRHS()),
                           Arith->getOpcode() == BO_Add ? 1 : -1);
        addStep(S, PathStep::Update, B);
        InPlace = true;
      }
  }
  if (!InPlace)
    V = eval(S, B->getRHS());
  if (Target)
    write(S, *Target, V);
  return V;
}

ValueId FunctionWalker::update(PathState &S, const Expr *Target,
                               ValueId Delta, int Dir, const Stmt *Site) {
  auto L = locationOf(S, Target);
  if (!L)
    return Values.fresh(Site);
  ValueId V = Values.advance(Site, read(S, *L), Delta, Dir);
  write(S, *L, V);
  addStep(S, PathStep::Update, Site);
  return V;
}

//===----------------------------------------------------------------------===//
// Statements and events
//===----------------------------------------------------------------------===//

const RecognisedCall *FunctionWalker::recognised(const CallExpr *C) {
  auto It = Calls.find(C);
  if (It == Calls.end()) {
    std::optional<RecognisedCall> R = Recognizer.recognise(C);
    // Name the routine as the driver wrote it: `IoCompleteRequest` is a macro
    // for IofCompleteRequest in most header sets.
    SourceLocation L = Checks.callLoc(C);
    if (R && L.isMacroID()) {
      const SourceManager &SM = Ctx.getSourceManager();
      SourceLocation Spelled = SM.getExpansionLoc(L);
      unsigned Len =
          Lexer::MeasureTokenLength(Spelled, SM, Ctx.getLangOpts());
      llvm::StringRef Text(SM.getCharacterData(Spelled), Len);
      if (!Text.empty() && (isalpha(static_cast<unsigned char>(Text[0])) ||
                            Text[0] == '_'))
        R->CalleeName = Text.str();
    }
    It = Calls.try_emplace(C, std::move(R)).first;
  }
  return It->second ? &*It->second : nullptr;
}

void FunctionWalker::transfer(PathState &S, const Stmt *St) {
  if (const auto *R = dyn_cast<ReturnStmt>(St)) {
    S.LastReturn = St;
    if (Exit && R->getRetValue())
      write(S, returnLocation(), eval(S, R->getRetValue()));
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(St)) {
    onCall(S, Call);
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(St)) {
    if (B->getOpcode() == BO_Assign) {
      S.Evaluated[B] = assign(S, B);
    } else if (B->isCompoundAssignmentOp()) {
      ValueId Delta = eval(S, B->getRHS());
      if (B->getOpcode() == BO_AddAssign || B->getOpcode() == BO_SubAssign) {
        S.Evaluated[B] = update(S, B->getLHS(), Delta,
                                B->getOpcode() == BO_AddAssign ? 1 : -1, B);
      } else if (auto L = locationOf(S, B->getLHS())) {
        // `c |= FLAG` is `c = c | FLAG`: the same value as the expression.
        ValueId V = Values.binary(
            BinaryOperator::getOpForCompoundAssignment(B->getOpcode()),
            read(S, *L), Delta);
        write(S, *L, V);
        S.Evaluated[B] = V;
      }
    }
    return;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(St)) {
    if (U->isIncrementDecrementOp()) {
      ValueId Before = NoValue;
      if (auto L = locationOf(S, U->getSubExpr()))
        Before = read(S, *L);
      ValueId After = update(S, U->getSubExpr(), Values.constant(1),
                             U->isIncrementOp() ? 1 : -1, U);
      S.Evaluated[U] = U->isPrefix() ? After : Before;
    }
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        Location L{Location::Variable, VD, NoValue};
        if (const Expr *Init = VD->getInit())
          write(S, L, eval(S, Init));
        else
          write(S, L, Values.fresh(VD));
      }
    return;
  }
}

ValueId FunctionWalker::roleValue(PathState &S, const CallExpr *Call,
                                  int Index) {
  if (Index < 0 || unsigned(Index) >= Call->getNumArgs())
    return NoValue;
  return eval(S, Call->getArg(unsigned(Index)));
}

void FunctionWalker::onCall(PathState &S, const CallExpr *Call) {
  // Handing the device extension to a call is a use of it too (a helper
  // that flushes what it holds).
  if (S.PendingSeed)
    for (const Expr *Arg : Call->arguments()) {
      QualType T = Arg->IgnoreParenImpCasts()->getType();
      const RecordDecl *RD =
          T->isPointerType() ? T->getPointeeType()->getAsRecordDecl()
                             : nullptr;
      if (!RD)
        continue;
      ValueId Base = eval(S, Arg); // may itself use the extension
      if (S.PendingSeed && Base != NoValue)
        maybeSeed(S, RD, Base, Arg);
      if (!S.PendingSeed)
        break;
    }
  if (const RecognisedCall *Ev = recognised(Call)) {
    onEvent(S, Call, *Ev);
    if (!S.Evaluated.count(Call))
      S.Evaluated[Call] = Values.fresh(Call);
    return;
  }
  // A call whose DMA effects we cannot see (a same-file helper that maps,
  // flushes or releases, or a driver routine defined elsewhere) may have
  // flushed or released anything: nothing open is provable any more.
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FieldWrites *W = Callee ? Owner.writesOf(Callee) : nullptr;
  // Only a call that may change an open transfer, or open one, needs the
  // callee's effects (and only then is a routine of another file wanted).
  if (Callee && (!S.Transfers.empty() || Callee->getDefinition())) {
    DmaEffects Effects = Owner.dmaEffects(Callee);
    if (Effects == DmaEffects::Known) {
      // A helper that only maps: after it, one state per way it can
      // return that its arguments allow (its transfer open as it left it,
      // or nothing mapped).
      if (const ExitSummary *Sum = Owner.mapSummaryOf(Callee)) {
        callMapHelper(S, Call, *Sum, W);
        return;
      }
    }
    if (!S.Transfers.empty()) {
      const HelperSummary *H =
          Effects == DmaEffects::Known ? Owner.summaryOf(Callee) : nullptr;
      if (H) {
        applyHelper(S, Call, *H);
      } else if (Effects == DmaEffects::Known) {
        for (const Transfer &T : S.Transfers)
          Owner.noteSilenced(Current, Call, T,
                             "it is a routine of this file whose DMA effects "
                             "are not modelled (it maps and also flushes or "
                             "releases, or does so on some paths only)");
        S.Transfers.clear();
      } else if (Effects == DmaEffects::Unknown) {
        llvm::erase_if(S.Transfers, [&](const Transfer &T) {
          if (!callTouches(S, Call, T))
            return false;
          Owner.noteSilenced(Current, Call, T,
                             "it is the driver's routine, its body is in no "
                             "file of this run, and it is given the "
                             "transfer's objects (analyse its file too, or "
                             "pass --facts)");
          return true;
        });
      }
      if (S.Transfers.empty()) {
        S.Trail.clear();
        S.Pinned.clear();
      }
    }
  }
  invalidateThroughArguments(S, Call, W);
  S.Evaluated[Call] = Values.fresh(Call);
}

/// Whether a call is given one of the transfer's values, or the object one of
/// them was read from (`EndDma(ext)` where the adapter is `ext->DmaAdapter`).
bool FunctionWalker::callTouches(PathState &S, const CallExpr *Call,
                                 const Transfer &T) {
  ValueId Related[] = {T.Adapter, T.Mdl, T.MapRegisterBase, T.CurrentVa,
                       T.Irp};
  for (const Expr *Arg : Call->arguments()) {
    ValueId A = eval(S, Arg);
    for (ValueId R : Related) {
      if (R == NoValue)
        continue;
      if (A == R)
        return true;
      const ValueInfo &I = Values.info(R);
      if (I.Kind == ValueKind::Initial && I.Field && I.Operand == A)
        return true;
    }
  }
  return false;
}

/// A call may write what its pointer arguments point to (one level deep:
/// the object passed, not everything reachable from it).
void FunctionWalker::invalidateThroughArguments(PathState &S,
                                                const CallExpr *Call,
                                                const FieldWrites *W) {
  // The system writes nothing through what a variadic routine is given
  // (DbgPrint, __noop).
  const FunctionDecl *Callee = Call->getDirectCallee();
  unsigned Declared = Callee && Owner.isSystemRoutine(Callee)
                          ? Callee->getNumParams()
                          : Call->getNumArgs();
  for (unsigned I = 0; I < Call->getNumArgs() && I < Declared; ++I) {
    const Expr *Arg = Call->getArg(I);
    QualType T = Arg->IgnoreParenImpCasts()->getType();
    if (!T->isPointerType() && !T->isArrayType())
      continue;
    if (T->isPointerType() && T->getPointeeType().isConstQualified())
      continue;
    ValueId P = eval(S, Arg);
    const RecordDecl *RD =
        T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
    if (W && !W->All && RD && Values.info(P).Kind != ValueKind::AddrOf &&
        Values.info(P).Kind != ValueKind::FieldAddr) {
      // A routine we can see writes only the fields it names: the others
      // keep their values, the device extension's DMA state included.
      if (W->Fields.empty())
        continue;
      for (const FieldDecl *F : RD->fields())
        if (W->Fields.count(fieldKey(F)))
          write(S, Location{Location::Field, F, P},
                Values.fresh(F, Values.fresh(Call, P)));
      for (auto &[Loc, Val] : S.Env)
        if (Loc.What == Location::Field && Loc.Base == P &&
            W->Fields.count(
                fieldKey(static_cast<const FieldDecl *>(Loc.Decl))))
          Val = Values.fresh(Loc.Decl, Values.fresh(Call, P));
      continue;
    }
    if (W && !W->All && (Values.info(P).Kind == ValueKind::AddrOf ||
                         Values.info(P).Kind == ValueKind::FieldAddr) &&
        W->Fields.empty())
      continue;
    if (auto L = pointee(P); L && L->What != Location::Deref)
      write(S, *L, Values.fresh(Call, P));
    S.Epochs[P] = Values.fresh(Call, P);
    for (auto &[Loc, Val] : S.Env)
      if ((Loc.What == Location::Field || Loc.What == Location::Deref) &&
          Loc.Base == P)
        Val = Values.fresh(Call, Val);
  }
}

void FunctionWalker::onEvent(PathState &S, const CallExpr *Call,
                             const RecognisedCall &Ev) {
  switch (Ev.Rule->Kind) {
  case EventKind::Map:
    onMap(S, Call, Ev);
    break;
  case EventKind::Flush:
    onFlush(S, Call, Ev);
    break;
  case EventKind::FreeMapRegisters:
  case EventKind::FreeAdapterChannel:
  case EventKind::PutAdapter:
  case EventKind::CompleteRequest:
    onRelease(S, Call, Ev);
    break;
  case EventKind::CancelTransfer: {
    ValueId Adapter = roleValue(S, Call, Ev.Rule->Arguments.Adapter);
    llvm::erase_if(S.Transfers, [&](const Transfer &T) {
      return Adapter == NoValue || T.Adapter == Adapter;
    });
    break;
  }
  case EventKind::AllocateChannel:
  case EventKind::GetScatterGather:
  case EventKind::PutScatterGather:
    // Their transfers are the HAL's (scatter/gather) or start in another
    // routine (the channel's AdapterControl): nothing to track here.
    break;
  }
  pinFacts(S);
}

void FunctionWalker::pinFacts(PathState &S) {
  if (S.Transfers.empty()) {
    S.Trail.clear();
    S.Pinned.clear();
  } else {
    for (const BranchFact &F : S.Facts)
      if (S.Pinned.size() < 8 && correlates(F) &&
          llvm::find(S.Pinned, F) == S.Pinned.end())
        S.Pinned.push_back(F);
  }
}

/// Whether a branch fact can decide a later test the same way: not one about
/// a value a loop moves on (a cursor, a counter), which every iteration
/// tests anew; keeping those apart would only unroll the loop.
bool FunctionWalker::correlates(const BranchFact &F) const {
  // The value tested, or what it is computed from (`done != total`).
  std::function<bool(ValueId, unsigned)> Moves = [&](ValueId V,
                                                     unsigned Depth) {
    const ValueInfo &I = Values.info(V);
    switch (I.Kind) {
    case ValueKind::Advance:
    case ValueKind::Phi:
      return true;
    case ValueKind::Binary:
      return Depth < 4 &&
             (Moves(I.Operand, Depth + 1) || Moves(I.Operand2, Depth + 1));
    case ValueKind::Not:
      return Depth < 4 && Moves(I.Operand, Depth + 1);
    default:
      return false;
    }
  };
  return !Moves(F.Atom.V, 0);
}

/// The IRP whose MDL a value is: the base of an `Irp->MdlAddress` read.
static ValueId irpOfMdl(const ValueTable &Values, ValueId Mdl) {
  const ValueInfo &I = Values.info(Mdl);
  if (I.Kind == ValueKind::Initial && I.Field &&
      I.Field->getName() == "MdlAddress")
    return I.Operand;
  return NoValue;
}

void FunctionWalker::onMap(PathState &S, const CallExpr *Call,
                           const RecognisedCall &Ev) {
  const ArgumentRoles &A = Ev.Rule->Arguments;
  Transfer T;
  T.MapCall = Call;
  T.Adapter = roleValue(S, Call, A.Adapter);
  T.Mdl = roleValue(S, Call, A.Mdl);
  T.MapRegisterBase = roleValue(S, Call, A.MapRegisterBase);
  T.CurrentVa = roleValue(S, Call, A.CurrentVa);
  T.WriteToDevice = roleValue(S, Call, A.WriteToDevice);
  T.Irp = irpOfMdl(Values, T.Mdl);
  // Length is in/out: the request is read through the pointer, and the
  // mapped length is written back.
  if (A.Length >= 0) {
    ValueId Pointer = roleValue(S, Call, A.Length);
    if (auto L = pointee(Pointer)) {
      T.Requested = read(S, *L);
      T.Mapped = Values.fresh(Call, Pointer);
      write(S, *L, T.Mapped);
    }
  }
  openTransfer(S, T, Call);
}

void FunctionWalker::openTransfer(PathState &S, Transfer T,
                                  const CallExpr *Call) {
  // A further map of the same MDL or map registers before a flush continues
  // the operation (a scatter/gather loop maps one operation piece by piece).
  for (Transfer &Open : S.Transfers) {
    if (Open.released())
      continue;
    if ((T.Mdl != NoValue && Open.Mdl == T.Mdl) ||
        (T.MapRegisterBase != NoValue &&
         Open.MapRegisterBase == T.MapRegisterBase) ||
        Open.MapCall == Call) {
      Open.Several = true;
      return;
    }
  }
  if (S.Transfers.size() >= Opts.Limits.MaxTransfers) {
    giveUp("more than " + std::to_string(Opts.Limits.MaxTransfers) +
           " transfers open on one path");
    return;
  }
  // The clamp that decided the length asked for, if the path went through
  // one: one side of its comparison is the requested length now.
  for (auto It = S.Splits.rbegin(); !T.Clamp && It != S.Splits.rend(); ++It) {
    const auto *Cmp = dyn_cast<BinaryOperator>(cast<Expr>(It->first));
    if (Cmp && T.Requested != NoValue &&
        (eval(S, Cmp->getLHS()) == T.Requested ||
         eval(S, Cmp->getRHS()) == T.Requested)) {
      T.Clamp = cast<Expr>(It->first);
      T.ClampBranch = It->second;
    }
  }
  // Map registers already stored where a later routine finds them
  // (`Transfer->MapRegisterBase = MapRegisterBase;` before the map).
  for (const auto &[Loc, Val] : S.Env)
    if (Val == T.MapRegisterBase && T.MapRegisterBase != NoValue &&
        outlivesCall(Loc))
      T.BaseKept = true;
  S.Transfers.push_back(T);
}

void FunctionWalker::onFlush(PathState &S, const CallExpr *Call,
                             const RecognisedCall &Ev) {
  const ArgumentRoles &A = Ev.Rule->Arguments;
  FlushSite F;
  F.Call = Call;
  F.Callee = &Ev;
  F.Adapter = roleValue(S, Call, A.Adapter);
  F.Mdl = roleValue(S, Call, A.Mdl);
  F.MapRegisterBase = roleValue(S, Call, A.MapRegisterBase);
  F.CurrentVa = roleValue(S, Call, A.CurrentVa);
  F.Length = roleValue(S, Call, A.Length);
  F.WriteToDevice = roleValue(S, Call, A.WriteToDevice);
  flushWith(S, F);
}

void FunctionWalker::flushWith(PathState &S, const FlushSite &F) {
  if (S.Transfers.empty())
    return;

  // Which transfer does this flush end? The only one; else the one mapped
  // with the same MDL or map registers. When that is ambiguous, every
  // candidate counts as flushed and nothing is checked (unknown is silent).
  llvm::SmallVector<size_t, 2> Same;
  for (size_t I = 0; I < S.Transfers.size(); ++I) {
    const Transfer &T = S.Transfers[I];
    if ((F.Mdl != NoValue && T.Mdl == F.Mdl) ||
        (F.MapRegisterBase != NoValue && T.MapRegisterBase == F.MapRegisterBase))
      Same.push_back(I);
  }
  std::optional<size_t> Match;
  if (S.Transfers.size() == 1)
    Match = 0;
  else if (Same.size() == 1)
    Match = Same.front();

  if (!Match) {
    if (Same.empty()) {
      S.Transfers.clear();
    } else {
      for (size_t I : llvm::reverse(Same))
        S.Transfers.erase(S.Transfers.begin() + I);
    }
    return;
  }
  const Transfer T = S.Transfers[*Match];
  S.Transfers.erase(S.Transfers.begin() + *Match);
  if (T.released())
    reportFlushOrder(Checks, S, T, F);
  checkFlushVa(Checks, S, T, F);
  checkFlushLength(Checks, S, T, F);
  checkFlushArguments(Checks, S, T, F);
}

void FunctionWalker::onRelease(PathState &S, const CallExpr *Call,
                               const RecognisedCall &Ev) {
  const ArgumentRoles &A = Ev.Rule->Arguments;
  releaseWith(S, Call, Ev.Rule->Kind, roleValue(S, Call, A.Adapter),
              roleValue(S, Call, A.MapRegisterBase), roleValue(S, Call, A.Irp));
}

void FunctionWalker::releaseWith(PathState &S, const CallExpr *Call,
                                 EventKind Kind, ValueId Adapter, ValueId Base,
                                 ValueId Irp) {
  bool Released = false;
  for (Transfer &T : S.Transfers) {
    if (T.released())
      continue;
    bool Hits;
    if (Kind == EventKind::CompleteRequest)
      // The transfer's own IRP when we know it (its MDL is Irp->MdlAddress);
      // otherwise any IRP this routine completes while the transfer is open.
      Hits = T.Irp == NoValue || T.Irp == Irp;
    else
      Hits = (Adapter != NoValue && T.Adapter == Adapter) ||
             (Base != NoValue && T.MapRegisterBase == Base);
    if (!Hits)
      continue;
    T.ReleaseCall = Call;
    T.ReleaseKind = Kind;
    Released = true;
  }
  if (Released)
    addStep(S, PathStep::Release, Call);
}

ValueId FunctionWalker::paramValue(PathState &S, const CallExpr *Call,
                                   const ParamRef &R) {
  if (R.Index < 0 || unsigned(R.Index) >= Call->getNumArgs())
    return NoValue;
  ValueId V = eval(S, Call->getArg(unsigned(R.Index)));
  if (!R.Field)
    return V;
  return read(S, Location{Location::Field, R.Field, V});
}

/// A call to a same-file helper whose effects are exact: each of its DMA
/// calls happens here, with the caller's values for the helper's parameters.
void FunctionWalker::applyHelper(PathState &S, const CallExpr *Call,
                                 const HelperSummary &H) {
  // Name the helper in messages (the call is the event, as for the API).
  auto It = Calls.find(Call);
  if (It == Calls.end() || !It->second) {
    RecognisedCall R;
    R.Rule = &H.Rule;
    R.CalleeName = Call->getDirectCallee()->getNameAsString();
    R.ApiName = apiNameFor(H.Rule.Kind).str();
    Calls[Call] = R;
  }
  for (const HelperEffect &E : H.Effects) {
    if (E.Kind == EventKind::Flush) {
      FlushSite F;
      F.Call = Call;
      F.Callee = &*Calls[Call];
      F.Adapter = paramValue(S, Call, E.Adapter);
      F.Mdl = paramValue(S, Call, E.Mdl);
      F.MapRegisterBase = paramValue(S, Call, E.MapRegisterBase);
      F.CurrentVa = paramValue(S, Call, E.CurrentVa);
      F.Length = paramValue(S, Call, E.Length);
      F.WriteToDevice = paramValue(S, Call, E.WriteToDevice);
      flushWith(S, F);
    } else {
      releaseWith(S, Call, E.Kind, paramValue(S, Call, E.Adapter),
                  paramValue(S, Call, E.MapRegisterBase),
                  paramValue(S, Call, E.Irp));
    }
  }
  if (S.Transfers.empty()) {
    S.Trail.clear();
    S.Pinned.clear();
  }
}

//===----------------------------------------------------------------------===//
// Across functions: map summaries, stored transfers, returns
//===----------------------------------------------------------------------===//

std::optional<Location> FunctionWalker::slotLocation(PathState &S,
                                                     const CallExpr *Call,
                                                     const SlotRef &R) {
  if (R.K != SlotRef::InField || R.Index < 0 ||
      unsigned(R.Index) >= Call->getNumArgs())
    return std::nullopt;
  ValueId Base = eval(S, Call->getArg(unsigned(R.Index)));
  if (R.Via)
    Base = read(S, Location{Location::Field, R.Via, Base});
  return Location{Location::Field, R.Field, Base};
}

/// A call to a helper that maps: the path goes on in one state per case of
/// its summary that the arguments allow (the current state, and forks that
/// resume after this call).
void FunctionWalker::callMapHelper(PathState &S, const CallExpr *Call,
                                   const ExitSummary &Sum,
                                   const FieldWrites *W) {
  llvm::SmallVector<PathState, 4> Ways;
  for (const ExitCase &O : Sum.Cases) {
    PathState Next = S;
    if (!enterCase(Next, Call, O))
      continue;
    invalidateThroughArguments(Next, Call, W);
    applyMapSummary(Next, Call, O);
    Next.Evaluated[Call] = O.Returned ? Values.constant(*O.Returned)
                                      : Values.fresh(Call);
    Ways.push_back(std::move(Next));
  }
  if (Ways.empty()) {
    // No way the helper returns is open to these arguments: the path ends.
    // With a transfer open, that is a path lost: said.
    if (!S.Transfers.empty()) {
      const SourceManager &SM = Ctx.getSourceManager();
      giveUp("a path with a transfer open fits no way '" +
             (Call->getDirectCallee()
                  ? Call->getDirectCallee()->getNameAsString()
                  : std::string("?")) +
             "' returns, at line " +
             std::to_string(SM.getPresumedLineNumber(
                 SM.getFileLoc(Call->getBeginLoc()))));
    }
    PathDead = true;
    return;
  }
  if (Forks.size() + Ways.size() > Opts.Limits.MaxStatesPerBlock) {
    giveUp("more than " + std::to_string(Opts.Limits.MaxStatesPerBlock) +
           " ways through the helper calls of one block");
    Stopped = true;
    Worklist.clear();
    PathDead = true;
    return;
  }
  S = std::move(Ways.front());
  for (size_t I = 1; I < Ways.size(); ++I)
    addFork(std::move(Ways[I]), Call);
}

/// A state forked at a call, to resume after it: merged with another fork
/// that resumes there with the same DMA state and the same call value, as
/// states are at a block's entry (at a join point of its own).
void FunctionWalker::addFork(PathState W, const CallExpr *Call) {
  size_t Resume = CurrentElement + 1;
  ValueId V = W.Evaluated.lookup(Call);
  computeMoved(W);
  for (auto &[F, At] : Forks)
    if (At == Resume && F.Evaluated.lookup(Call) == V && F.sameDmaState(W)) {
      uint64_t JoinPoint =
          uint64_t(Graph->getNumBlockIDs()) * Resume + CurrentBlock;
      joinInto(JoinPoint, F, W);
      return;
    }
  Forks.push_back({std::move(W), Resume});
}

/// Whether a case of a callee's summary is possible for this call: what its
/// paths assumed about their arguments, checked against (and then assumed
/// of) the values the call passes.
bool FunctionWalker::enterCase(PathState &S, const CallExpr *Call,
                               const ExitCase &O) {
  for (const EntryFact &F : O.Entry) {
    ValueId V = NoValue;
    if (F.Where.K == SlotRef::InParam) {
      if (F.Where.Index >= 0 && unsigned(F.Where.Index) < Call->getNumArgs())
        V = eval(S, Call->getArg(unsigned(F.Where.Index)));
    } else if (auto L = slotLocation(S, Call, F.Where)) {
      V = read(S, *L);
    }
    if (V == NoValue)
      continue;
    ConditionAtom A{V, F.IsLess, F.C};
    int64_t K;
    if (Values.isConstant(V, K)) {
      if ((F.IsLess ? K < F.C : K == F.C) != F.Holds)
        return false;
      continue;
    }
    if (auto D = decideAtom(S, A)) {
      if (*D != F.Holds)
        return false;
      continue;
    }
    assume(S, A, F.Holds);
  }
  return true;
}

/// A way a helper returns, applied at its call: the transfer it left open
/// is open here, its values where the helper left them (read after the
/// call), the locations it moved on from them moved on here, and the
/// constants it left are there.
void FunctionWalker::applyMapSummary(PathState &S, const CallExpr *Call,
                                     const ExitCase &O) {
  for (const ConstRef &C : O.Constants)
    if (auto L = slotLocation(S, Call, C.Where)) {
      if (!C.AtLeast)
        write(S, *L, Values.constant(C.C));
      else
        assume(S, ConditionAtom{read(S, *L), true, C.C}, false);
    }
  if (!O.Open)
    return;
  Transfer T;
  T.MapCall = O.MapCall;
  T.MapFn = O.MapFn;
  T.Several = O.Several;
  T.Clamp = O.Clamp;
  T.ClampBranch = O.ClampBranch;
  for (unsigned K = 0; K < Transfer::NumValueSlots; ++K) {
    const SlotRef &R = O.Slots[K];
    switch (R.K) {
    case SlotRef::Nowhere:
      break;
    case SlotRef::IsConst:
      T.slot(K) = Values.constant(R.C);
      break;
    case SlotRef::InParam:
      if (R.Index >= 0 && unsigned(R.Index) < Call->getNumArgs())
        T.slot(K) = eval(S, Call->getArg(unsigned(R.Index)));
      break;
    case SlotRef::InField:
      if (auto L = slotLocation(S, Call, R))
        T.slot(K) = read(S, *L);
      break;
    }
  }
  if (T.Irp == NoValue)
    T.Irp = irpOfMdl(Values, T.Mdl);
  for (const MovedRef &M : O.Moved) {
    auto L = slotLocation(S, Call, M.Where);
    if (!L || !M.Site)
      continue;
    // The value it moved on from may be held nowhere the caller sees: it
    // is then a value of its own, equal to nothing here, that the moved
    // location is still provably moved on from.
    ValueId &From = T.slot(M.Slot);
    if (From == NoValue)
      From = Values.fresh(M.Site, Values.fresh(Call, Values.constant(M.Slot)));
    write(S, *L,
          Values.advance(M.Site, From, Values.fresh(M.Site, Values.fresh(Call)),
                         M.Dir));
  }
  openTransfer(S, T, O.MapCall);
  pinFacts(S);
}

/// The first access to the device extension in a routine that starts with a
/// stored transfer open: that object holds it.
void FunctionWalker::maybeSeed(PathState &S, const RecordDecl *RD,
                               ValueId Base, const Expr *At) {
  const StoredTransfer &R = *Seeds[S.PendingSeed - 1];
  if (RD != R.Record)
    return;
  S.PendingSeed = 0;
  // Written through since entry (an unknown call was given it): what the
  // fields hold now is not what the producer left.
  if (S.Epochs.count(Base))
    return;
  for (const auto &[Loc, V] : S.Env)
    if (Loc.What == Location::Field && Loc.Base == Base)
      return;
  const ExitCase &O = R.Case;
  Transfer T;
  T.MapCall = O.MapCall;
  T.MapFn = O.MapFn;
  T.Producer = R.Producer;
  T.SeededAt = At;
  T.Several = O.Several;
  T.Clamp = O.Clamp;
  T.ClampBranch = O.ClampBranch;
  for (unsigned K = 0; K < Transfer::NumValueSlots; ++K) {
    if (const FieldDecl *F = R.field(K))
      T.slot(K) = Values.initialField(Base, F, NoValue);
    else if (O.Slots[K].K == SlotRef::IsConst)
      T.slot(K) = Values.constant(O.Slots[K].C);
  }
  for (const MovedRef &M : O.Moved) {
    if (!M.Site)
      continue;
    // Moved on from a value the producer kept in no field: a value of its
    // own here, that the field is still provably moved on from.
    ValueId &From = T.slot(M.Slot);
    if (From == NoValue)
      From = Values.fresh(M.Site, Values.fresh(At, Values.constant(M.Slot)));
    write(S, Location{Location::Field, M.Where.Field, Base},
          Values.advance(M.Site, From, Values.fresh(M.Where.Field, Base),
                         M.Dir));
  }
  for (const ConstRef &C : O.Constants) {
    Location L{Location::Field, C.Where.Field, Base};
    if (!C.AtLeast)
      write(S, L, Values.constant(C.C));
    else
      assume(S, ConditionAtom{read(S, L), true, C.C}, false);
  }
  // MapTransfer was given this MDL: on this path it is not NULL.
  if (T.Mdl != NoValue)
    assume(S, ConditionAtom{T.Mdl, false, 0}, false);
  S.Transfers.push_back(T);
  pinFacts(S);
}

/// The parameter-relative description of a pointer value at exit.
SlotRef FunctionWalker::baseRefOf(ValueId Base) const {
  SlotRef R;
  for (unsigned I = 0; I < Current->getNumParams(); ++I) {
    ValueId P = Values.findInitialLocal(Current->getParamDecl(I));
    if (P == NoValue)
      continue;
    if (Base == P) {
      R.K = SlotRef::InField;
      R.Index = int(I);
      return R;
    }
    const ValueInfo &Info = Values.info(Base);
    if (Info.Kind == ValueKind::Initial && Info.Field && Info.Operand == P &&
        Values.findInitialField(P, Info.Field, NoValue) == Base) {
      R.K = SlotRef::InField;
      R.Index = int(I);
      R.Via = Info.Field;
      return R;
    }
  }
  return R;
}

/// Where value V is at the end of path S, if it is somewhere a caller or a
/// later routine can find it.
SlotRef FunctionWalker::slotRefOf(const PathState &S, ValueId V) const {
  SlotRef R;
  if (V == NoValue)
    return R;
  int64_t C;
  if (Values.isConstant(V, C)) {
    R.K = SlotRef::IsConst;
    R.C = C;
    return R;
  }
  for (const auto &[Loc, Val] : S.Env) {
    if (Val != V || Loc.What != Location::Field)
      continue;
    SlotRef B = baseRefOf(Loc.Base);
    if (B.K == SlotRef::InField) {
      B.Field = static_cast<const FieldDecl *>(Loc.Decl);
      return B;
    }
  }
  const ValueInfo &I = Values.info(V);
  if (I.Kind == ValueKind::Initial && I.Field) {
    Location L{Location::Field, I.Field, I.Operand};
    auto It = S.Env.find(L);
    bool Still = It != S.Env.end()
                     ? It->second == V
                     : Values.findInitialField(I.Operand, I.Field,
                                               epochOf(S, I.Operand)) == V;
    SlotRef B = baseRefOf(I.Operand);
    if (Still && B.K == SlotRef::InField) {
      B.Field = I.Field;
      return B;
    }
  }
  if (SlotRef P = entryRefOf(V); P.K == SlotRef::InParam) {
    auto It = S.Env.find(Location{Location::Variable,
                                  Current->getParamDecl(unsigned(P.Index)),
                                  NoValue});
    if (It == S.Env.end() || It->second == V)
      return P;
  }
  return R;
}

/// Where value V came from, if it is what the function was given: a
/// parameter's value on entry, or a field of the object a parameter points
/// to as it was on entry (before anything wrote through the pointer).
SlotRef FunctionWalker::entryRefOf(ValueId V) const {
  SlotRef R;
  const ValueInfo &I = Values.info(V);
  if (V == NoValue || I.Kind != ValueKind::Initial)
    return R;
  if (I.Decl) {
    for (unsigned P = 0; P < Current->getNumParams(); ++P)
      if (I.Decl == Current->getParamDecl(P)) {
        R.K = SlotRef::InParam;
        R.Index = int(P);
        break;
      }
    return R;
  }
  if (I.Field && Values.findInitialField(I.Operand, I.Field, NoValue) == V) {
    R = baseRefOf(I.Operand);
    if (R.K == SlotRef::InField)
      R.Field = I.Field;
  }
  return R;
}

namespace {
/// What two cases' paths both assumed, and the clamp both went through.
void keepCommonAssumptions(ExitCase &Have, const ExitCase &O) {
  llvm::erase_if(Have.Entry, [&](const EntryFact &F) {
    return llvm::find(O.Entry, F) == O.Entry.end();
  });
  if (Have.Clamp != O.Clamp || Have.ClampBranch != O.ClampBranch)
    Have.Clamp = nullptr;
}

/// What two cases of one outcome kind both say.
void keepCommon(ExitCase &Have, const ExitCase &O) {
  Have.Several |= O.Several;
  for (unsigned K = 0; K < Transfer::NumValueSlots; ++K)
    if (!(Have.Slots[K] == O.Slots[K]))
      Have.Slots[K] = SlotRef();
  llvm::erase_if(Have.Moved, [&](const MovedRef &M) {
    return llvm::find(O.Moved, M) == O.Moved.end();
  });
  llvm::erase_if(Have.Constants, [&](const ConstRef &C) {
    return llvm::find(O.Constants, C) == O.Constants.end();
  });
  if (Have.Returned != O.Returned)
    Have.Returned.reset();
  keepCommonAssumptions(Have, O);
}

/// Adds one return to a summary: a new case while there is room, else
/// merged with the cases of the same kind.
void addExitCase(ExitSummary &E, ExitCase C) {
  if (C.Open)
    for (const ExitCase &H : E.Cases)
      if (H.Open && H.MapCall != C.MapCall) {
        E.Exact = false; // different transfers on different returns
        return;
      }
  for (ExitCase &H : E.Cases)
    if (H.sameOutcome(C)) {
      // Returned the same way under other assumptions: only what both
      // assumed restricts it.
      keepCommonAssumptions(H, C);
      return;
    }
  E.Cases.push_back(std::move(C));
  if (E.Cases.size() <= ExitSummary::MaxExitCases)
    return;
  std::vector<ExitCase> Merged;
  for (ExitCase &H : E.Cases) {
    auto It = llvm::find_if(
        Merged, [&](const ExitCase &M) { return M.Open == H.Open; });
    if (It == Merged.end())
      Merged.push_back(std::move(H));
    else
      keepCommon(*It, H);
  }
  E.Cases = std::move(Merged);
}
} // namespace

/// The location that holds what the function returns (its own declaration,
/// so that paths returning different values are joined like a variable).
Location FunctionWalker::returnLocation() const {
  return Location{Location::Variable, static_cast<const ValueDecl *>(Current),
                  NoValue};
}

/// How this return leaves things, added to the function's exit summary.
void FunctionWalker::summarizeExit(const PathState &S) {
  if (!Exit || !Exit->Exact)
    return;
  const Transfer *Open = nullptr;
  for (const Transfer &T : S.Transfers) {
    if (T.released() || Open) {
      Exit->Exact = false; // released unflushed, or several: not summarised
      return;
    }
    Open = &T;
  }
  ExitCase O;
  if (Open) {
    O.Open = true;
    O.MapCall = Open->MapCall;
    O.MapFn = Open->MapFn ? Open->MapFn : Current;
    O.Several = Open->Several;
    O.Clamp = Open->Clamp;
    O.ClampBranch = Open->ClampBranch;
    for (unsigned K = 0; K < Transfer::NumValueSlots; ++K)
      O.Slots[K] = slotRefOf(S, Open->slot(K));
  }
  for (const auto &[Loc, Val] : S.Env) {
    if (Loc.What != Location::Field)
      continue;
    SlotRef Where = baseRefOf(Loc.Base);
    if (Where.K != SlotRef::InField)
      continue;
    Where.Field = static_cast<const FieldDecl *>(Loc.Decl);
    int64_t C;
    if (Values.isConstant(Val, C)) {
      O.Constants.push_back({Where, C});
      continue;
    }
    if (!Open)
      continue;
    // A count run up from 0 on every way here: taken as at least 1. (A step
    // of `+= len` with len 0 would make that wrong; the fact only ever rules
    // out a zero-iteration path, so it can silence a finding, never make
    // one: checks take "not 0" from constants and tests only.)
    if (Values.isAdvancedFrom(Val, Values.constant(0), 1)) {
      O.Constants.push_back({Where, 1, /*AtLeast=*/true});
      continue;
    }
    for (unsigned K : {unsigned(Transfer::VaSlot),
                       unsigned(Transfer::RequestedSlot),
                       unsigned(Transfer::MappedSlot)}) {
      const Stmt *Site = nullptr;
      int Dir = 0;
      if (Values.isAdvancedFrom(Val, Open->slot(K), +1, &Site))
        Dir = +1;
      else if (Values.isAdvancedFrom(Val, Open->slot(K), -1, &Site))
        Dir = -1;
      if (Dir && Site) {
        O.Moved.push_back({Where, K, Dir, Site});
        break;
      }
    }
  }
  for (const BranchFact &F : S.Facts) {
    SlotRef Where = entryRefOf(F.Atom.V);
    if (Where.K != SlotRef::Nowhere)
      O.Entry.push_back({Where, F.Atom.IsLess, F.Atom.C, F.Holds});
  }
  if (auto It = S.Env.find(returnLocation()); It != S.Env.end()) {
    int64_t C;
    if (Values.isConstant(It->second, C))
      O.Returned = C;
  }
  addExitCase(*Exit, std::move(O));
}

/// An AdapterControl that returns with a transfer mapped on map registers
/// the system gave it, without flushing it and without keeping the map
/// register base anywhere a later routine could flush with: nothing ever can.
void FunctionWalker::reportLostMapping(const PathState &S, const Transfer &T) {
  if (!IsAdapterControl || T.MapFn || T.Producer ||
      !Checks.enabled(CheckId::MissingFlush))
    return;
  const ValueInfo &I = Values.info(T.MapRegisterBase);
  if (I.Kind != ValueKind::Initial || !I.Decl || !isa<ParmVarDecl>(I.Decl) ||
      T.BaseKept)
    return;
  for (const auto &[Loc, Val] : S.Env) {
    if (Val != T.MapRegisterBase)
      continue;
    if (Loc.What != Location::Variable)
      return; // kept in a field or through a pointer
    // Variable locations hold the ValueDecl address: a variable, or the
    // function itself for what it returns (returned to the system: lost).
    const auto *VD =
        dyn_cast<VarDecl>(static_cast<const ValueDecl *>(Loc.Decl));
    if (VD && VD->hasGlobalStorage())
      return;
  }
  Finding F;
  F.Check = CheckId::MissingFlush;
  const Stmt *At = S.LastReturn ? S.LastReturn : nullptr;
  F.Loc = At ? At->getBeginLoc() : Checks.callLoc(T.MapCall);
  F.Range = At ? At->getSourceRange() : T.MapCall->getSourceRange();
  F.Message = "'" + Current->getNameAsString() +
              "' returns with the transfer mapped by '" +
              Checks.callee(T.MapCall).CalleeName + "' at line " +
              std::to_string(Checks.line(Checks.callLoc(T.MapCall))) +
              " not flushed, and keeps its MapRegisterBase nowhere a later "
              "routine could flush it from; flush it here, or store the "
              "MapRegisterBase in the device extension for the DPC";
  F.Notes = Checks.pathNotes(S, T);
  Checks.emit(std::move(F));
}

//===----------------------------------------------------------------------===//
// Branches
//===----------------------------------------------------------------------===//

FunctionWalker::Condition FunctionWalker::condition(PathState &S,
                                                    const Expr *E) {
  Condition C;
  E = stripCasts(E);
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_LNot) {
    C = condition(S, U->getSubExpr());
    C.Negated = !C.Negated;
    C.KnownValue = !C.KnownValue;
    return C;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E); B && B->isComparisonOp()) {
    ValueId L = eval(S, B->getLHS()), R = eval(S, B->getRHS());
    int64_t K;
    BinaryOperatorKind Op = B->getOpcode();
    ValueId V = NoValue;
    if (Values.isConstant(R, K)) {
      V = L;
    } else if (Values.isConstant(L, K)) {
      V = R;
      Op = BinaryOperator::reverseComparisonOp(Op);
    }
    if (V != NoValue) {
      int64_t Own;
      if (Values.isConstant(V, Own)) {
        C.Known = true;
        C.KnownValue = Values.info(Values.binary(Op, V, Values.constant(K)))
                           .Constant != 0;
        return C;
      }
      C.Atom.V = V;
      switch (Op) {
      case BO_EQ: C.Atom.C = K; break;
      case BO_NE: C.Atom.C = K; C.Negated = true; break;
      case BO_LT: C.Atom.IsLess = true; C.Atom.C = K; break;
      case BO_GE: C.Atom.IsLess = true; C.Atom.C = K; C.Negated = true; break;
      case BO_LE: C.Atom.IsLess = true; C.Atom.C = K + 1; break;
      case BO_GT: C.Atom.IsLess = true; C.Atom.C = K + 1; C.Negated = true; break;
      default: break;
      }
      return C;
    }
  }
  ValueId V = eval(S, E);
  int64_t K;
  if (Values.isConstant(V, K)) {
    C.Known = true;
    C.KnownValue = K != 0;
    return C;
  }
  // `x` is !(x == 0); `!x` arrives here as Not(x) only through a variable.
  if (Values.info(V).Kind == ValueKind::Not) {
    C.Atom.V = Values.info(V).Operand;
    C.Atom.C = 0;
    return C;
  }
  C.Atom.V = V;
  C.Atom.C = 0;
  C.Negated = true;
  return C;
}

void FunctionWalker::assume(PathState &S, const ConditionAtom &A, bool Holds) {
  if (A.V == NoValue)
    return;
  for (const BranchFact &F : S.Facts)
    if (F.Atom == A && F.Holds == Holds)
      return;
  if (S.Facts.size() >= 16)
    S.Facts.erase(S.Facts.begin());
  S.Facts.push_back({A, Holds});
}

/// The expression whose truth selects the branch out of a block, seeing
/// through the CFG's split of && and ||.
static const Expr *branchCondition(const CFGBlock &B) {
  const Stmt *T = B.getTerminatorStmt();
  const Expr *Cond = nullptr;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(T);
      BO && BO->isLogicalOp())
    Cond = BO->getLHS();
  else
    Cond = dyn_cast_or_null<Expr>(
        B.getTerminatorCondition(/*StripParens=*/true));
  while (Cond) {
    const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParens());
    if (!BO || !BO->isLogicalOp())
      break;
    Cond = BO->getRHS();
  }
  return Cond;
}

void FunctionWalker::successors(const CFGBlock &B, PathState &S) {
  const Stmt *T = B.getTerminatorStmt();
  if (const auto *G = dyn_cast_or_null<GotoStmt>(T))
    addStep(S, PathStep::Goto, G);

  if (const auto *Switch = dyn_cast_or_null<SwitchStmt>(T)) {
    ValueId V = eval(S, Switch->getCond());
    llvm::SmallVector<int64_t, 8> Cases;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
      const CFGBlock *Target = Succ.getReachableBlock();
      if (!Target)
        continue;
      if (const auto *CS = dyn_cast_or_null<CaseStmt>(Target->getLabel())) {
        Expr::EvalResult R;
        if (!CS->getRHS() && CS->getLHS()->EvaluateAsInt(R, Ctx))
          Cases.push_back(R.Val.getInt().getExtValue());
      }
    }
    unsigned Taken = 0, Reachable = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
      const CFGBlock *Target = Succ.getReachableBlock();
      if (!Target)
        continue;
      ++Reachable;
      PathState Next = S;
      const auto *CS = dyn_cast_or_null<CaseStmt>(Target->getLabel());
      Expr::EvalResult R;
      if (CS && !CS->getRHS() && CS->getLHS()->EvaluateAsInt(R, Ctx)) {
        ConditionAtom A{V, false, R.Val.getInt().getExtValue()};
        if (decideAtom(Next, A) == std::optional<bool>(false))
          continue;
        assume(Next, A, true);
        addStep(Next, PathStep::Case, CS);
      } else if (!CS) {
        bool Feasible = true;
        for (int64_t K : Cases) {
          ConditionAtom A{V, false, K};
          if (decideAtom(Next, A) == std::optional<bool>(true))
            Feasible = false;
          if (Cases.size() <= 8)
            assume(Next, A, false);
        }
        if (!Feasible)
          continue;
        if (isa_and_nonnull<DefaultStmt>(Target->getLabel()))
          addStep(Next, PathStep::Default, Target->getLabel());
      }
      propagate(Target, std::move(Next));
      ++Taken;
    }
    if (!Taken && Reachable)
      lostPath(S, Switch);
    return;
  }

  const Expr *Cond = (T && B.succ_size() == 2) ? branchCondition(B) : nullptr;
  if (!Cond) {
    for (const CFGBlock::AdjacentBlock &Succ : B.succs())
      if (const CFGBlock *Target = Succ.getReachableBlock())
        propagate(Target, S);
    return;
  }
  Condition C = condition(S, Cond);
  int Clamp = clampAt(B, Cond); // 0: none, 1: the true branch, 2: both
  std::optional<bool> Decided;
  if (C.Known)
    Decided = C.KnownValue;
  else if (auto D = decideAtom(S, C.Atom))
    Decided = *D != C.Negated;
  unsigned Index = 0, Taken = 0, Reachable = 0;
  for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
    bool Branch = Index++ == 0; // the first successor is the true branch
    const CFGBlock *Target = Succ.getReachableBlock();
    if (!Target)
      continue;
    ++Reachable;
    if (Decided && *Decided != Branch)
      continue;
    ++Taken;
    PathState Next = S;
    if (!Decided) {
      assume(Next, C.Atom, Branch != C.Negated);
      addStep(Next, Branch ? PathStep::AssumeTrue : PathStep::AssumeFalse,
              Cond);
      // A clamp decides what a map to come is asked for; with a transfer
      // already mapped and not flushed (a piece loop inside the operation),
      // no check can tell its two paths apart.
      std::pair<const Stmt *, bool> Split{Cond, Branch};
      bool MapToCome = llvm::none_of(
          Next.Transfers, [](const Transfer &T) { return !T.released(); });
      if (MapToCome && (Clamp == 2 || (Clamp == 1 && Branch)) &&
          Next.Splits.size() < 2 &&
          llvm::find(Next.Splits, Split) == Next.Splits.end())
        Next.Splits.push_back(Split);
    }
    propagate(Target, std::move(Next));
  }
  // The path's facts decided the branch towards an edge clang's CFG knows
  // cannot be taken: they contradict the program, and the path would be
  // lost without a word.
  if (!Taken && Reachable)
    lostPath(S, Cond);
}

/// Whether one path holds, in some location, the other's value with a flag
/// set: `x | c` against `x`.
bool FunctionWalker::flagSetApart(const PathState &A, const PathState &B) {
  auto SetFrom = [&](ValueId X, ValueId Y) {
    const ValueInfo &I = Values.info(X);
    int64_t C;
    return I.Kind == ValueKind::Binary && I.Opcode == BO_Or &&
           ((I.Operand == Y && Values.isConstant(I.Operand2, C)) ||
            (I.Operand2 == Y && Values.isConstant(I.Operand, C)));
  };
  auto Differ = [&](const PathState &X, const PathState &Y) {
    for (const auto &[L, VX] : X.Env) {
      auto It = Y.Env.find(L);
      ValueId VY = It != Y.Env.end() ? It->second : initialValue(Y, L);
      if (VY != VX && (SetFrom(VX, VY) || SetFrom(VY, VX)))
        return true;
    }
    return false;
  };
  return Differ(A, B) || Differ(B, A);
}

/// A path with something open that no successor accepts: said, never
/// dropped silently.
void FunctionWalker::lostPath(const PathState &S, const Stmt *At) {
  if (S.Transfers.empty())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  // Said, but not a reason to distrust the rest: such a path is usually one
  // that cannot run (a switch over every enumerator, with the value tested
  // out of range before), and the function's summary stays exact.
  if (Lost.empty())
    Lost = "a path with a transfer open was found to continue nowhere at "
           "line " +
           std::to_string(SM.getPresumedLineNumber(
               SM.getFileLoc(At->getBeginLoc()))) +
           " (its branch facts contradict the code there; the rest was "
           "analysed)";
}

/// Whether the branch out of B clamps one value to another: `if (a > b)
/// a = b;` (1: the true branch assigned) or `a < b ? a : b` (2: both
/// branches chose). Both sides must be the operands of the comparison.
int FunctionWalker::clampAt(const CFGBlock &B, const Expr *Cond) {
  const auto *Cmp = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  if (!Cmp || !Cmp->isRelationalOp())
    return 0;
  const Expr *L = Cmp->getLHS(), *R = Cmp->getRHS();
  // The same variable, or the same field of the same variable.
  std::function<bool(const Expr *, const Expr *)> Same =
      [&](const Expr *A, const Expr *B) {
        A = A->IgnoreParenImpCasts();
        B = B->IgnoreParenImpCasts();
        if (const auto *DA = dyn_cast<DeclRefExpr>(A)) {
          const auto *DB = dyn_cast<DeclRefExpr>(B);
          return DB && DA->getDecl() == DB->getDecl();
        }
        const auto *MA = dyn_cast<MemberExpr>(A);
        const auto *MB = dyn_cast<MemberExpr>(B);
        return MA && MB && MA->getMemberDecl() == MB->getMemberDecl() &&
               MA->isArrow() == MB->isArrow() &&
               Same(MA->getBase(), MB->getBase());
      };
  auto Operands = [&](const Expr *X, const Expr *Y) {
    return (Same(X, L) && Same(Y, R)) || (Same(X, R) && Same(Y, L));
  };
  const Stmt *T = B.getTerminatorStmt();
  if (const auto *CO = dyn_cast_or_null<AbstractConditionalOperator>(T))
    return Operands(CO->getTrueExpr(), CO->getFalseExpr()) ? 2 : 0;
  const auto *If = dyn_cast_or_null<IfStmt>(T);
  if (!If || If->getElse())
    return 0;
  const Stmt *Then = If->getThen();
  if (const auto *CS = dyn_cast<CompoundStmt>(Then))
    Then = CS->size() == 1 ? CS->body_front() : nullptr;
  const auto *A = dyn_cast_or_null<BinaryOperator>(Then);
  return A && A->getOpcode() == BO_Assign && Operands(A->getLHS(), A->getRHS())
             ? 1
             : 0;
}

//===----------------------------------------------------------------------===//
// Merging and the worklist
//===----------------------------------------------------------------------===//

bool FunctionWalker::joinInto(uint64_t Block, PathState &Into,
                              const PathState &From) {
  bool Changed = false;
  // Epochs first: they decide what unwritten fields read as.
  std::map<ValueId, ValueId> Epochs = Into.Epochs;
  for (const auto &[Base, E] : From.Epochs) {
    ValueId Mine = epochOf(Into, Base);
    ValueId J = Values.join(Block, &Into.Epochs, Base, Mine, E);
    if (J != Mine) {
      Epochs[Base] = J;
      Changed = true;
    }
  }
  for (const auto &[Base, E] : Into.Epochs)
    if (!From.Epochs.count(Base)) {
      ValueId J = Values.join(Block, &Into.Epochs, Base, E, NoValue);
      if (J != E) {
        Epochs[Base] = J;
        Changed = true;
      }
    }

  std::map<Location, ValueId> Env;
  auto Merge = [&](const Location &L, ValueId Mine, ValueId Theirs) {
    ValueId J = Values.join(
        Block, L.Decl, (uint64_t(L.Base) << 2) | uint64_t(L.What), Mine,
        Theirs);
    if (J != Mine)
      Changed = true;
    Env.emplace(L, J);
  };
  for (const auto &[L, Mine] : Into.Env) {
    auto It = From.Env.find(L);
    Merge(L, Mine, It != From.Env.end() ? It->second : initialValue(From, L));
  }
  for (const auto &[L, Theirs] : From.Env)
    if (!Into.Env.count(L)) {
      ValueId Mine = initialValue(Into, L);
      Merge(L, Mine, Theirs);
      Changed = true;
    }
  Into.Env = std::move(Env);
  Into.Epochs = std::move(Epochs);

  for (size_t I = 0; I < Into.Transfers.size(); ++I)
    for (unsigned Slot = 0; Slot < Transfer::NumValueSlots; ++Slot) {
      ValueId &Mine = Into.Transfers[I].slot(Slot);
      ValueId Theirs =
          From.Transfers[I].slot(Slot);
      ValueId J = Values.join(Block, Into.Transfers[I].MapCall,
                              (uint64_t(I) << 8) | Slot, Mine, Theirs);
      if (J != Mine) {
        Mine = J;
        Changed = true;
      }
    }
  for (size_t I = 0; I < Into.Transfers.size(); ++I)
    if (From.Transfers[I].BaseKept && !Into.Transfers[I].BaseKept) {
      Into.Transfers[I].BaseKept = true; // kept on some path: silent
      Changed = true;
    }

  // The notes explain one path: keep the decisions both paths made, so a
  // later decision never contradicts an earlier note.
  size_t Common = 0;
  while (Common < Into.Trail.size() && Common < From.Trail.size() &&
         Into.Trail[Common].What == From.Trail[Common].What &&
         Into.Trail[Common].At == From.Trail[Common].At)
    ++Common;
  Into.Trail.resize(Common);

  // Only what both paths know stays known.
  size_t Before = Into.Facts.size();
  llvm::erase_if(Into.Facts, [&](const BranchFact &F) {
    return llvm::find(From.Facts, F) == From.Facts.end();
  });
  Changed |= Into.Facts.size() != Before;
  return Changed;
}

void FunctionWalker::computeMoved(PathState &S) {
  S.Moved.clear();
  if (S.Transfers.empty())
    return;
  for (const auto &[L, V] : S.Env) {
    if (L.What == Location::Deref)
      continue;
    for (unsigned I = 0; I < S.Transfers.size(); ++I) {
      Transfer &T = S.Transfers[I];
      // CurrentVa (slot 3), Requested (4) and Mapped (5).
      for (unsigned Slot : {3u, 4u, 5u}) {
        ValueId From = T.slot(Slot);
        if (From != NoValue && Values.isAdvancedFrom(V, From, 0)) {
          S.Moved.push_back({I, Slot, L});
          break;
        }
      }
    }
  }
}

void FunctionWalker::propagate(const CFGBlock *To, PathState S) {
  if (To == &Graph->getExit()) {
    atExit(std::move(S));
    return;
  }
  S.Evaluated.clear();
  ValueWork += S.Env.size() + 1;
  if (ValueWork > Opts.Limits.MaxValueWork) {
    giveUp("more than " + std::to_string(Opts.Limits.MaxValueWork) +
           " location values carried between blocks");
    Worklist.clear();
    Stopped = true;
    return;
  }
  if (Stopped)
    return;
  computeMoved(S);
  BlockStates &BS = Blocks[To->getBlockID()];
  // Clamps keep paths apart only while half the room is free.
  if (!S.Splits.empty() &&
      2 * (BS.States.size() + 1) >= Opts.Limits.MaxStatesPerBlock)
    S.Splits.clear();
  // Entering a block that maps, flushes or releases, paths that assumed
  // different things stay apart (while there is room): the event pins what
  // they assumed (PathState::Pinned), which later decides correlated tests.
  bool KeepFactsApart = EventBlocks[To->getBlockID()] &&
                        BS.States.size() + 1 < Opts.Limits.MaxStatesPerBlock;
  auto SameFacts = [&](const PathState &A, const PathState &B) {
    auto Covered = [&](const PathState &X, const PathState &Y) {
      for (const BranchFact &F : X.Facts)
        if (correlates(F) && llvm::find(Y.Facts, F) == Y.Facts.end())
          return false;
      return true;
    };
    return Covered(A, B) && Covered(B, A);
  };
  // With a transfer open, a path that set a flag in a value (`cmd |=
  // OPTION`) stays apart from one that did not (while half the room is
  // free): a later `Table[cmd & MASK]` that masks the flag off is then the
  // same element as before it, on both.
  bool KeepFlagsApart = !S.Transfers.empty() &&
                        2 * (BS.States.size() + 1) < Opts.Limits.MaxStatesPerBlock;
  for (size_t I = 0; I < BS.States.size(); ++I) {
    if (!BS.States[I].sameDmaState(S))
      continue;
    if (KeepFactsApart && !SameFacts(BS.States[I], S))
      continue;
    if (KeepFlagsApart && flagSetApart(BS.States[I], S))
      continue;
    if (joinInto(To->getBlockID(), BS.States[I], S)) {
      BS.Dirty[I] = true;
      Worklist.insert({Order[To->getBlockID()], To->getBlockID()});
    }
    return;
  }
  if (BS.States.size() >= Opts.Limits.MaxStatesPerBlock) {
    giveUp("more than " + std::to_string(Opts.Limits.MaxStatesPerBlock) +
           " distinct DMA states at one point");
    return;
  }
  BS.States.push_back(std::move(S));
  BS.Dirty.push_back(true);
  Worklist.insert({Order[To->getBlockID()], To->getBlockID()});
}

void FunctionWalker::atExit(PathState S) {
  for (const Transfer &T : S.Transfers)
    if (T.released())
      reportMissingFlush(Checks, S, T);
    else
      reportLostMapping(S, T);
  if (!Exit)
    return;
  // Summarised once the walk is done, from the states the returns converge
  // to (an early, less general visit of a return is merged into them).
  S.Evaluated.clear();
  computeMoved(S);
  for (PathState &E : ExitStates)
    if (E.sameDmaState(S)) {
      joinInto(Graph->getExit().getBlockID(), E, S);
      return;
    }
  if (ExitStates.size() >= Opts.Limits.MaxStatesPerBlock) {
    Exit->Exact = false; // too many ways to return to describe
    return;
  }
  ExitStates.push_back(std::move(S));
}

namespace {
/// clang::CFG has no model of __try/__finally. A __finally block runs after
/// its __try block on every way out of it; when the ways out are falling off
/// its end and __leave, `__try { A } __finally { B }` is exactly
/// `{ A' __finally: B }` where A' jumps to the label for each __leave. That
/// rewrite is applied for the duration of the CFG build and undone after; a
/// __try block that can also be left by return, goto, break or continue is
/// not rewritten, and the function is reported partly analysed.
class FinallyRewriter {
public:
  FinallyRewriter(ASTContext &Ctx, const FunctionDecl *FD) : Ctx(Ctx), FD(FD) {}
  ~FinallyRewriter() {
    for (auto It = Undo.rbegin(); It != Undo.rend(); ++It)
      *It->first = It->second;
  }
  /// Returns false when some __try/__finally could not be rewritten.
  bool rewrite(Stmt *S, unsigned Depth = 0) {
    if (Depth > 1024)
      return false; // deeper than any real driver: not modelled
    bool Ok = true;
    for (Stmt *&Child : S->children()) {
      if (!Child)
        continue;
      if (auto *Try = dyn_cast<SEHTryStmt>(Child);
          Try && Try->getFinallyHandler()) {
        if (leavesEarly(Try->getTryBlock(), /*InLoop=*/false)) {
          Ok = false;
          continue;
        }
        SourceLocation At = Try->getFinallyHandler()->getBeginLoc();
        LabelDecl *Label = LabelDecl::Create(
            Ctx, const_cast<FunctionDecl *>(FD), At,
            &Ctx.Idents.get("__finally"));
        replaceLeaves(Try->getTryBlock(), Label);
        auto *Labelled = new (Ctx)
            LabelStmt(At, Label, Try->getFinallyHandler()->getBlock());
        Label->setStmt(Labelled);
        Stmt *Parts[] = {Try->getTryBlock(), Labelled};
#if LLVM_VERSION_MAJOR >= 15
        CompoundStmt *Seq = CompoundStmt::Create(
            Ctx, Parts, FPOptionsOverride(), Try->getBeginLoc(),
            Try->getEndLoc());
#else
        CompoundStmt *Seq = CompoundStmt::Create(Ctx, Parts, Try->getBeginLoc(),
                                                 Try->getEndLoc());
#endif
        Undo.push_back({&Child, Child});
        Child = Seq;
      }
      Ok &= rewrite(Child, Depth + 1);
    }
    return Ok;
  }

private:
  /// `__leave` of this __try (not of a nested one) becomes `goto __finally`.
  void replaceLeaves(Stmt *S, LabelDecl *Label, unsigned Depth = 0) {
    if (Depth > 1024)
      return;
    for (Stmt *&Child : S->children()) {
      if (!Child || isa<SEHTryStmt>(Child))
        continue;
      if (isa<SEHLeaveStmt>(Child)) {
        Undo.push_back({&Child, Child});
        Child = new (Ctx)
            GotoStmt(Label, Child->getBeginLoc(), Child->getBeginLoc());
        continue;
      }
      replaceLeaves(Child, Label, Depth + 1);
    }
  }

  /// Ways out of a __try block other than its end and __leave.
  static bool leavesEarly(const Stmt *S, bool InLoop, unsigned Depth = 0) {
    if (!S)
      return false;
    if (Depth > 1024)
      return true; // too deep to tell: treat as not modelled
    if (isa<ReturnStmt>(S) || isa<GotoStmt>(S) || isa<IndirectGotoStmt>(S))
      return true;
    if ((isa<BreakStmt>(S) || isa<ContinueStmt>(S)) && !InLoop)
      return true;
    bool Loop = InLoop || isa<ForStmt>(S) || isa<WhileStmt>(S) ||
                isa<DoStmt>(S) || isa<SwitchStmt>(S);
    for (const Stmt *C : S->children())
      if (leavesEarly(C, Loop, Depth + 1))
        return true;
    return false;
  }

  ASTContext &Ctx;
  const FunctionDecl *FD;
  std::vector<std::pair<Stmt **, Stmt *>> Undo;
};
} // namespace

std::string FunctionWalker::run(const FunctionDecl *FD, bool HasFinally) {
  Current = FD;
  IsAdapterControl = Owner.hasRole(FD, "adapter-control");
  FinallyRewriter Finally(Ctx, FD);
  if (HasFinally &&
      !Finally.rewrite(const_cast<Stmt *>(FD->getBody())))
    return "a __try block with __finally that can be left by return, goto, "
           "break or continue is not modelled";
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  BO.PruneTriviallyFalseEdges = true;
  BO.AddEHEdges = false;
  BO.AddImplicitDtors = false;
  BO.AddInitializers = false;
  Graph = CFG::buildCFG(FD, FD->getBody(), &Ctx, BO);
  if (!Graph)
    return "no control-flow graph could be built";
  if (Graph->getNumBlockIDs() > Opts.Limits.MaxBlocks)
    return "more than " + std::to_string(Opts.Limits.MaxBlocks) + " blocks";

  // Reverse post-order, so a block is usually walked after its predecessors.
  unsigned N = Graph->getNumBlockIDs();
  Order.assign(N, N);
  {
    std::vector<const CFGBlock *> Post;
    std::vector<bool> Seen(N, false);
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>>
        Stack;
    const CFGBlock *Entry = &Graph->getEntry();
    Seen[Entry->getBlockID()] = true;
    Stack.push_back({Entry, Entry->succ_begin()});
    while (!Stack.empty()) {
      auto &[Blk, It] = Stack.back();
      if (It == Blk->succ_end()) {
        Post.push_back(Blk);
        Stack.pop_back();
        continue;
      }
      const CFGBlock *Next = It->getReachableBlock();
      ++It;
      if (Next && !Seen[Next->getBlockID()]) {
        Seen[Next->getBlockID()] = true;
        Stack.push_back({Next, Next->succ_begin()});
      }
    }
    unsigned Pos = 0;
    for (auto It = Post.rbegin(); It != Post.rend(); ++It)
      Order[(*It)->getBlockID()] = Pos++;
  }

  ById.assign(N, nullptr);
  EventBlocks.assign(N, false);
  for (const CFGBlock *Blk : *Graph) {
    ById[Blk->getBlockID()] = Blk;
    for (const CFGElement &E : *Blk)
      if (auto CS = E.getAs<CFGStmt>())
        if (const auto *Call = dyn_cast<CallExpr>(CS->getStmt()))
          if (recognised(Call))
            EventBlocks[Blk->getBlockID()] = true;
  }
  Blocks.assign(N, BlockStates());
  propagate(&Graph->getEntry(), PathState());
  // A routine that runs after another stored a transfer also starts with
  // that transfer open (one state per stored transfer it reads).
  for (size_t I = 0; I < Seeds.size() && I < 8; ++I) {
    PathState Seeded;
    Seeded.PendingSeed = uint8_t(I + 1);
    propagate(&Graph->getEntry(), std::move(Seeded));
  }
  while (!Worklist.empty()) {
    unsigned Id = Worklist.begin()->second;
    Worklist.erase(Worklist.begin());
    const CFGBlock &B = *ById[Id];
    BlockStates &BS = Blocks[Id];
    for (size_t I = 0; I < BS.States.size() && !Stopped; ++I) {
      if (!BS.Dirty[I])
        continue;
      BS.Dirty[I] = false;
      Forks.clear();
      Forks.push_back({BS.States[I], 0});
      CurrentBlock = Id;
      // The block's state, then the states forked from it on the way.
      while (!Forks.empty() && !Stopped) {
        auto [S, From] = std::move(Forks.back());
        Forks.pop_back();
        PathDead = false;
        for (size_t K = From; K < B.size() && !PathDead; ++K) {
          if (++Steps > Opts.Limits.MaxSteps) {
            giveUp("more than " + std::to_string(Opts.Limits.MaxSteps) +
                   " steps");
            return Incomplete;
          }
          CurrentElement = K;
          if (auto CS = B[K].getAs<CFGStmt>())
            transfer(S, CS->getStmt());
        }
        if (!PathDead)
          successors(B, S);
      }
      // propagate() may have grown this block's vectors (a self loop).
    }
  }
  if (Incomplete.empty())
    for (const PathState &S : ExitStates)
      summarizeExit(S);
  return Incomplete;
}

//===----------------------------------------------------------------------===//
// The translation unit
//===----------------------------------------------------------------------===//

const FunctionFacts &Engine::factsOf(const FunctionDecl *FD) {
  auto It = Facts.find(FD);
  if (It != Facts.end())
    return It->second;
  FunctionFacts F;
  if (const FunctionDecl *Def = FD->getDefinition(); Def && Def->hasBody()) {
    EventScanner Scan(Recognizer);
    Scan.TraverseStmt(Def->getBody());
    F.AnyEvent = Scan.AnyEvent;
    F.AnyMap = Scan.AnyMap;
    F.AnyOtherEvent = Scan.AnyOtherEvent;
    F.HasErrors = Scan.HasErrors;
    F.HasFinally = Scan.HasFinally;
    F.Callees = std::move(Scan.Callees);
    F.FieldRefs = std::move(Scan.FieldRefs);
    for (const auto &[Routine, Role] : Scan.Roles)
      Roles[Routine->getCanonicalDecl()].insert(Role);
  }
  return Facts[FD] = std::move(F);
}

const RoutineFacts *Engine::external(const FunctionDecl *FD) {
  if (!Opts.Facts || !FD->getIdentifier())
    return nullptr;
  auto It = Opts.Facts->Routines.find(FD->getName().str());
  if (It == Opts.Facts->Routines.end() || !It->second.Defined)
    return nullptr;
  return &It->second;
}

const FieldWrites *Engine::writesOf(const FunctionDecl *FD) {
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
  WriteScanner Scan(Recognizer, Os);
  Scan.TraverseStmt(Def->getBody());
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

bool Engine::hasRole(const FunctionDecl *FD, llvm::StringRef Role) {
  auto It = Roles.find(FD->getCanonicalDecl());
  if (It != Roles.end() && It->second.count(Role.str()))
    return true;
  if (Opts.Facts && FD->getIdentifier()) {
    auto R = Opts.Facts->Routines.find(FD->getName().str());
    if (R != Opts.Facts->Routines.end())
      return R->second.Roles.count(Role.str()) != 0;
  }
  return false;
}

namespace {
/// Routines whose address the driver takes (handed to a registration, kept
/// in a table), not only called.
class AddressTaken : public RecursiveASTVisitor<AddressTaken> {
public:
  bool VisitCallExpr(CallExpr *C) {
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(C->getCallee()->IgnoreParenImpCasts()))
      Callees.insert(DRE);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      if (!Callees.count(DRE))
        Routines.insert(FD->getCanonicalDecl());
    return true;
  }
  std::set<const DeclRefExpr *> Callees;
  std::set<const FunctionDecl *> Routines;
};

/// The role a routine's signature says it plays, when nothing declares it:
/// a deferred routine (`VOID (PKDPC, ...)`, four parameters) or an ISR
/// (`BOOLEAN (PKINTERRUPT, PVOID)`).
const char *roleOfSignature(const FunctionDecl *FD) {
  auto PointsTo = [&](unsigned I, llvm::StringRef Record) {
    if (I >= FD->getNumParams())
      return false;
    QualType T = FD->getParamDecl(I)->getType();
    const RecordDecl *RD =
        T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
    return RD && RD->getName() == Record;
  };
  if (FD->getNumParams() == 4 && FD->getReturnType()->isVoidType() &&
      PointsTo(0, "_KDPC"))
    return "dpc";
  if (FD->getNumParams() == 2 && FD->getReturnType()->isIntegerType() &&
      PointsTo(0, "_KINTERRUPT"))
    return "isr";
  return nullptr;
}
} // namespace

void Engine::collectRoles() {
  // A DPC reached through a table of deferred routines, or an ISR connected
  // by code that names it only as a value: its address is taken and its
  // signature says what it is.
  AddressTaken Taken;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if ((VD && VD->getInit() && isOurs(VD)) ||
        (isa<FunctionDecl>(D) &&
         cast<FunctionDecl>(D)->doesThisDeclarationHaveABody() && isOurs(D)))
      Taken.TraverseDecl(const_cast<Decl *>(D));
  }
  for (const FunctionDecl *FD : Taken.Routines)
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
      Result.Wanted.insert(FD->getName().str());
}

const ExitSummary *Engine::mapSummaryOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || !isOurs(Def))
    return nullptr;
  const FunctionFacts &F = factsOf(Def);
  if (!F.AnyMap || F.AnyOtherEvent || F.HasErrors)
    return nullptr;
  for (const FunctionDecl *C : F.Callees)
    if (dmaEffects(C) != DmaEffects::None)
      return nullptr;
  if (Analysing.count(Def))
    return nullptr; // recursion
  const ExitSummary &E = analyzeFunction(Def);
  return E.Exact && E.opens() ? &E : nullptr;
}

void Engine::runWalker(const FunctionDecl *FD,
                       const std::vector<const StoredTransfer *> &Seeds,
                       ExitSummary *Exit) {
  std::string Name = FD->getNameAsString();
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
  std::string Why = Walker.run(FD, factsOf(FD).HasFinally);
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
  Result.Silenced.push_back({In ? In->getNameAsString() : std::string(), At,
                             Callee ? Callee->getNameAsString() : "?", MapLine,
                             Why});
}

/// Transfers left open by routines the system calls (nothing in the file
/// calls them), stored in the device extension: one per way such a routine
/// returns with its MDL or map register base in a field. Each is how the
/// device extension is on some path when the DPC runs, so each is a state
/// the DPC starts in; when there are more than a DPC can start from, those
/// of one transfer are merged to what they all agree on.
void Engine::storeTransfers() {
  constexpr size_t MaxStored = 8;
  std::vector<std::unique_ptr<StoredTransfer>> All;
  for (const FunctionDecl *FD : Defined) {
    if (Called.count(FD->getCanonicalDecl()))
      continue;
    auto It = Exits.find(FD);
    if (It == Exits.end() || !It->second.Exact)
      continue;
    for (const ExitCase &O : It->second.Cases) {
      if (!O.Open)
        continue;
      auto FieldOf = [](const SlotRef &R) -> const FieldDecl * {
        return R.K == SlotRef::InField ? R.Field : nullptr;
      };
      const FieldDecl *Key = FieldOf(O.Slots[Transfer::BaseSlot]);
      if (!Key)
        Key = FieldOf(O.Slots[Transfer::MdlSlot]);
      if (!Key)
        continue;
      if (writtenInBetween(Key))
        continue; // what the DPC finds there is not what was mapped
      auto T = std::make_unique<StoredTransfer>();
      T->Record = Key->getParent();
      T->Producer = FD;
      ExitCase &C = T->Case;
      C.Open = true;
      C.MapCall = O.MapCall;
      C.MapFn = O.MapFn;
      C.Several = O.Several;
      C.Clamp = O.Clamp;
      C.ClampBranch = O.ClampBranch;
      // What the producer left in a field is still there when the DPC
      // runs, unless a routine that runs in between writes it: the ISR, a
      // routine the system runs synchronized with it, and what those call.
      auto InRecord = [&](const SlotRef &R) {
        SlotRef F;
        if (R.K == SlotRef::InField && R.Field->getParent() == T->Record &&
            !writtenInBetween(R.Field)) {
          F.K = SlotRef::InField;
          F.Field = R.Field;
        }
        return F;
      };
      for (unsigned K = 0; K < Transfer::NumValueSlots; ++K)
        C.Slots[K] = O.Slots[K].K == SlotRef::IsConst ? O.Slots[K]
                                                       : InRecord(O.Slots[K]);
      for (const MovedRef &M : O.Moved)
        if (SlotRef W = InRecord(M.Where); W.K == SlotRef::InField)
          C.Moved.push_back({W, M.Slot, M.Dir, M.Site});
      for (const ConstRef &K : O.Constants)
        if (SlotRef W = InRecord(K.Where); W.K == SlotRef::InField)
          C.Constants.push_back({W, K.C, K.AtLeast});
      bool Known = llvm::any_of(All, [&](const auto &S) {
        return S->Record == T->Record && S->Case.sameOutcome(C);
      });
      if (!Known)
        All.push_back(std::move(T));
    }
  }
  if (All.size() > MaxStored) {
    // Too many ways: one per transfer (record, map register and MDL
    // fields), with what all its ways agree on.
    std::vector<std::unique_ptr<StoredTransfer>> Merged;
    for (auto &T : All) {
      auto Same = llvm::find_if(Merged, [&](const auto &S) {
        return S->Record == T->Record &&
               S->field(Transfer::BaseSlot) == T->field(Transfer::BaseSlot) &&
               S->field(Transfer::MdlSlot) == T->field(Transfer::MdlSlot);
      });
      if (Same == Merged.end())
        Merged.push_back(std::move(T));
      else
        keepCommon((*Same)->Case, T->Case);
    }
    All = std::move(Merged);
  }
  Stored = std::move(All);
}

/// Whether a routine that may run between a producer's return and the DPC
/// writes field F (or writes anything it is given).
bool Engine::writtenInBetween(const FieldDecl *F) {
  for (const FunctionDecl *B : inBetween()) {
    const FieldWrites *Writes = writesOf(B);
    if (!Writes || Writes->All || Writes->Fields.count(fieldKey(F)))
      return true;
  }
  return false;
}

/// The routines that may run between an AdapterControl's return and its
/// DPC: ISRs and the routines handed to KeSynchronizeExecution.
const std::vector<const FunctionDecl *> &Engine::inBetween() {
  if (InBetweenDone)
    return InBetween;
  InBetweenDone = true;
  for (const FunctionDecl *FD : Defined) {
    if (hasRole(FD, "isr"))
      InBetween.push_back(FD);
    SyncScanner Scan;
    Scan.TraverseStmt(FD->getBody());
    for (const FunctionDecl *R : Scan.Routines)
      if (llvm::find(InBetween, R) == InBetween.end())
        InBetween.push_back(R);
  }
  return InBetween;
}

void Engine::exportFacts() {
  for (const FunctionDecl *FD : Defined) {
    if (!FD->getIdentifier() || !FD->isExternallyVisible())
      continue;
    RoutineFacts &R = Result.Exported.Routines[FD->getName().str()];
    R.Defined = true;
    R.DmaEffects = dmaEffects(FD) != DmaEffects::None;
    const FieldWrites *W = writesOf(FD);
    R.WritesAll = !W || W->All;
    if (W && !W->All)
      R.Writes = W->Fields;
  }
  for (const auto &[FD, Set] : Roles)
    if (FD->getIdentifier())
      Result.Exported.Routines[FD->getName().str()].Roles.insert(Set.begin(),
                                                                 Set.end());
}


DmaEffects Engine::dmaEffects(const FunctionDecl *FD) {
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
      Result.Wanted.insert(FD->getName().str());
    if (!isOurs(FD) || FD->isNoReturn())
      return Effects[FD] = DmaEffects::None;
    if (FD->getIdentifier()) {
      Result.Wanted.insert(FD->getName().str());
      Result.UnknownRoutines.insert(FD->getName().str());
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

/// The parameter (or parameter's field) an argument of a helper's DMA call
/// is, if it is one.
static ParamRef paramRefOf(const FunctionDecl *Helper, const Expr *Arg) {
  ParamRef R;
  if (!Arg)
    return R;
  const Expr *E = stripCasts(Arg);
  if (const auto *Load = dyn_cast<CastExpr>(E);
      Load && Load->getCastKind() == CK_LValueToRValue)
    E = Load->getSubExpr()->IgnoreParens();
  if (const auto *M = dyn_cast<MemberExpr>(E); M && M->isArrow()) {
    R.Field = dyn_cast<FieldDecl>(M->getMemberDecl());
    E = stripCasts(M->getBase());
    if (const auto *Load = dyn_cast<CastExpr>(E);
        Load && Load->getCastKind() == CK_LValueToRValue)
      E = Load->getSubExpr()->IgnoreParens();
    if (!R.Field)
      return ParamRef();
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      for (unsigned I = 0; I < Helper->getNumParams(); ++I)
        if (Helper->getParamDecl(I) == P) {
          R.Index = int(I);
          return R;
        }
  return ParamRef();
}

const HelperSummary *Engine::summaryOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || !isOurs(Def))
    return nullptr;
  auto It = Summaries.find(Def);
  if (It != Summaries.end())
    return It->second.get();
  std::unique_ptr<HelperSummary> Result;
  auto Done = [&]() -> const HelperSummary * {
    return (Summaries[Def] = std::move(Result)).get();
  };
  // Exact only when every DMA call of the helper is a flush, release or
  // completion with parameter-based arguments, it calls no other helper with
  // DMA effects, and each of those calls is on every path through it.
  if (factsOf(Def).HasErrors || factsOf(Def).AnyMap)
    return Done();
  for (const FunctionDecl *C : factsOf(Def).Callees)
    if (dmaEffects(C) != DmaEffects::None)
      return Done();
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  BO.PruneTriviallyFalseEdges = true;
  std::unique_ptr<CFG> G = CFG::buildCFG(Def, Def->getBody(), &Ctx, BO);
  if (!G)
    return Done();
  std::vector<std::pair<const CallExpr *, const CFGBlock *>> Events;
  for (const CFGBlock *B : *G)
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>())
        if (const auto *Call = dyn_cast<CallExpr>(CS->getStmt()))
          if (Recognizer.recognise(Call))
            Events.push_back({Call, B});
  if (Events.empty())
    return Done();
  auto H = std::make_unique<HelperSummary>();
  for (const auto &[Call, Block] : Events) {
    const EventRule &Rule = *Recognizer.recognise(Call)->Rule;
    if (Rule.Kind != EventKind::Flush && !isReleaseOrComplete(Rule.Kind))
      return Done();
    // On every path: the exit cannot be reached around this block.
    std::vector<bool> Seen(G->getNumBlockIDs(), false);
    std::vector<const CFGBlock *> Work{&G->getEntry()};
    Seen[G->getEntry().getBlockID()] = true;
    bool Around = false;
    while (!Work.empty() && !Around) {
      const CFGBlock *B = Work.back();
      Work.pop_back();
      if (B == &G->getExit()) {
        Around = true;
        break;
      }
      // A path that ends in a call that does not return (an assertion's
      // __int2c, KeBugCheckEx) never returns to the caller: not around.
      if (B->hasNoReturnElement())
        continue;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        const CFGBlock *N = Succ.getReachableBlock();
        if (N && N != Block && !Seen[N->getBlockID()]) {
          Seen[N->getBlockID()] = true;
          Work.push_back(N);
        }
      }
    }
    if (Around)
      return Done();
    const ArgumentRoles &A = Rule.Arguments;
    auto ArgAt = [&](int I) -> const Expr * {
      return I >= 0 && unsigned(I) < Call->getNumArgs()
                 ? Call->getArg(unsigned(I))
                 : nullptr;
    };
    HelperEffect E;
    E.Kind = Rule.Kind;
    E.Adapter = paramRefOf(Def, ArgAt(A.Adapter));
    E.Mdl = paramRefOf(Def, ArgAt(A.Mdl));
    E.MapRegisterBase = paramRefOf(Def, ArgAt(A.MapRegisterBase));
    E.CurrentVa = paramRefOf(Def, ArgAt(A.CurrentVa));
    E.Length = paramRefOf(Def, ArgAt(A.Length));
    E.WriteToDevice = paramRefOf(Def, ArgAt(A.WriteToDevice));
    E.Irp = paramRefOf(Def, ArgAt(A.Irp));
    E.Inside = Call;
    // A completion of an IRP that is not a parameter completes something the
    // caller cannot name: not exact.
    if (E.Kind == EventKind::CompleteRequest && E.Irp.Index < 0)
      return Done();
    H->Effects.push_back(E);
  }
  // Source order inside the helper is the order of its effects.
  std::stable_sort(H->Effects.begin(), H->Effects.end(),
                   [&](const HelperEffect &X, const HelperEffect &Y) {
                     return SM.isBeforeInTranslationUnit(X.Inside->getBeginLoc(),
                                                         Y.Inside->getBeginLoc());
                   });
  H->Rule.Kind = H->Effects.back().Kind;
  H->Rule.Origin = "helper";
  // Messages name the caller's argument where a role is a plain parameter.
  for (const HelperEffect &E : H->Effects) {
    auto Plain = [](const ParamRef &R) { return R.Field ? -1 : R.Index; };
    ArgumentRoles &A = H->Rule.Arguments;
    A.Adapter = Plain(E.Adapter);
    A.Mdl = Plain(E.Mdl);
    A.MapRegisterBase = Plain(E.MapRegisterBase);
    A.CurrentVa = Plain(E.CurrentVa);
    A.Length = Plain(E.Length);
    A.WriteToDevice = Plain(E.WriteToDevice);
    A.Irp = Plain(E.Irp);
    if (E.Kind == EventKind::Flush)
      break;
  }
  Result = std::move(H);
  return Done();
}

/// Walks FD once (memoized): its findings, and what it leaves open at its
/// returns for its callers.
const ExitSummary &Engine::analyzeFunction(const FunctionDecl *FD) {
  auto Done = Exits.find(FD);
  if (Done != Exits.end())
    return Done->second;
  ExitSummary &Exit = Exits[FD];
  const FunctionFacts &F = factsOf(FD);
  // Only what maps, directly or through a helper that maps, can open a
  // transfer here.
  bool Maps = F.AnyMap;
  for (const FunctionDecl *C : F.Callees)
    if (!Maps && C->getDefinition() && dmaEffects(C) == DmaEffects::Known &&
        factsOf(C->getDefinition()).AnyMap)
      Maps = true;
  if (!Maps) {
    Exit.Exact = true;
    return Exit;
  }
  ++Result.FunctionsAnalysed;
  if (FD->isInvalidDecl() || F.HasErrors) {
    Result.Partial.push_back({FD->getNameAsString(), FD->getLocation(),
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
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || !isOurs(FD))
      continue;
    Defined.push_back(FD);
  }
  collectRoles();
  for (const FunctionDecl *FD : Defined)
    for (const FunctionDecl *C : factsOf(FD).Callees)
      Called.insert(C->getCanonicalDecl());
  // Bottom-up through the memo: a helper is walked before its first caller
  // needs its summary.
  for (const FunctionDecl *FD : Defined)
    analyzeFunction(FD);
  // Across callbacks: what AdapterControl (and a DPC that maps the next
  // operation) left in the device extension is open when a DPC that reads
  // it runs.
  storeTransfers();
  for (const FunctionDecl *FD : Defined) {
    if (!hasRole(FD, "dpc"))
      continue;
    std::vector<const StoredTransfer *> Seeds;
    const FunctionFacts &F = factsOf(FD);
    for (const auto &T : Stored)
      if ((T->field(Transfer::BaseSlot) &&
           F.FieldRefs.count(T->field(Transfer::BaseSlot))) ||
          (T->field(Transfer::MdlSlot) &&
           F.FieldRefs.count(T->field(Transfer::MdlSlot))))
        Seeds.push_back(T.get());
    if (Seeds.empty() || F.HasErrors || FD->isInvalidDecl())
      continue;
    if (!Exits.count(FD) || !factsOf(FD).AnyEvent)
      ++Result.FunctionsAnalysed;
    runWalker(FD, Seeds, nullptr);
  }
  exportFacts();
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
