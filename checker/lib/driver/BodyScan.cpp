// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The syntactic scans of driver/BodyScan.h: RecursiveASTVisitors over one
// body or declaration, no paths.
#include "driver/BodyScan.h"
#include "model/OsCode.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;
using namespace dmacheck;

/// "record.field", the same in every file of the driver.
std::string dmacheck::fieldKey(const FieldDecl *F) {
  const RecordDecl *RD = F->getParent();
  // C++: `CDevice.m_Mdl`, `ns::CDevice.m_Mdl` (C: the tag, `_EXT.Mdl`).
  std::string Record =
      RD->getIdentifier() ? RD->getQualifiedNameAsString() : std::string();
  if (Record.empty())
    if (const TypedefNameDecl *T = RD->getTypedefNameForAnonDecl())
      Record = T->getName().str();
  return Record + "." + F->getName().str();
}

/// The name a routine is known by to the driver's other files: qualified in
/// C++ (`CDevice::OnDpc`; two classes' `Start` are two routines), the
/// identifier in C.
std::string dmacheck::routineKey(const FunctionDecl *FD) {
  return FD->getQualifiedNameAsString();
}

/// Registrations and role declarations: which routine the system calls as
/// what.
const char *dmacheck::roleOfTypedef(llvm::StringRef Name) {
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
const FunctionDecl *dmacheck::routineNamed(const Expr *E) {
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

namespace {

/// The events, registrations and field references of a body (one part of
/// BodyScanner below).
class EventScanner {
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
class WriteScanner {
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
  llvm::SmallPtrSet<const DeclRefExpr *, 32> CalleeRefs;

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

/// One walk over a body for both: the two parts see every node in the same
/// order as a visitor of their own would (a call before its callee's name).
class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
public:
  BodyScanner(const EventRecognizer &R, OsCode &Os) : Events(R), Writes(R, Os) {}
  // Types hold no code these scans look for (C has no expressions in
  // types but VLA bounds): their TypeLocs are not walked.
  bool TraverseTypeLoc(TypeLoc) { return true; }
  bool VisitExpr(Expr *E) { return Events.VisitExpr(E); }
  bool VisitMemberExpr(MemberExpr *M) { return Events.VisitMemberExpr(M); }
  bool VisitBinaryOperator(BinaryOperator *B) {
    Events.VisitBinaryOperator(B);
    return Writes.VisitBinaryOperator(B);
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    return Writes.VisitUnaryOperator(U);
  }
  bool VisitSEHTryStmt(SEHTryStmt *T) { return Events.VisitSEHTryStmt(T); }
  bool VisitCallExpr(CallExpr *C) {
    Events.VisitCallExpr(C);
    return Writes.VisitCallExpr(C);
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    return Writes.VisitDeclRefExpr(DRE);
  }
  // C++: the constructors and destructors a body runs are calls too (an
  // object that maps in its constructor or releases in its destructor).
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    if (const CXXConstructorDecl *Ctor = CE->getConstructor();
        Ctor && Ctor->isUserProvided())
      implicitCall(Ctor);
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (!VD->hasLocalStorage() || VD->getType()->isReferenceType())
      return true;
    if (const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl())
      if (RD->hasDefinition())
        if (const CXXDestructorDecl *Dtor = RD->getDestructor();
            Dtor && Dtor->isUserProvided())
          implicitCall(Dtor);
    return true;
  }
  void implicitCall(const FunctionDecl *FD) {
    Events.Callees.push_back(FD);
    Writes.Callees.push_back(FD);
  }
  EventScanner Events;
  WriteScanner Writes;
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

/// Routines whose address the driver takes (handed to a registration, kept
/// in a table), not only called.
class AddressTaken : public RecursiveASTVisitor<AddressTaken> {
public:
  // Types hold no code these scans look for (C has no expressions in
  // types but VLA bounds): their TypeLocs are not walked.
  bool TraverseTypeLoc(TypeLoc) { return true; }
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
  llvm::SmallPtrSet<const DeclRefExpr *, 32> Callees;
  std::set<const FunctionDecl *> Routines;
};

} // namespace

/// The role a routine's signature says it plays, when nothing declares it:
/// a deferred routine (`VOID (PKDPC, ...)`, four parameters) or an ISR
/// (`BOOLEAN (PKINTERRUPT, PVOID)`).
const char *dmacheck::roleOfSignature(const FunctionDecl *FD) {
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

BodyScan dmacheck::scanBody(const Stmt *Body, const EventRecognizer &R,
                           OsCode &Os) {
  BodyScanner Scan(R, Os);
  Scan.TraverseStmt(const_cast<Stmt *>(Body));
  BodyScan Out;
  FunctionFacts &F = Out.Facts;
  EventScanner &E = Scan.Events;
  F.AnyEvent = E.AnyEvent;
  F.AnyMap = E.AnyMap;
  F.AnyOtherEvent = E.AnyOtherEvent;
  F.HasErrors = E.HasErrors;
  F.HasFinally = E.HasFinally;
  F.Callees = std::move(E.Callees);
  F.FieldRefs = std::move(E.FieldRefs);
  F.Roles = std::move(E.Roles);
  WriteScanner &WS = Scan.Writes;
  for (const FunctionDecl *FD : WS.Callbacks)
    F.AddressTaken.push_back(FD->getCanonicalDecl());
  BodyWrites &W = Out.Writes;
  W.All = WS.All;
  W.Fields = std::move(WS.Fields);
  W.Callees = std::move(WS.Callees);
  W.Callbacks = std::move(WS.Callbacks);
  W.PointerCalls = std::move(WS.PointerCalls);
  return Out;
}

/// A statement that does nothing: `;`, `(x);`, `(void)x;`, `{(x) = (x);}`
/// (what UNREFERENCED_PARAMETER expands to in the WDK's and mingw-w64's
/// headers).
static bool isNoOp(const Stmt *S) {
  if (isa<NullStmt>(S))
    return true;
  if (const auto *C = dyn_cast<CompoundStmt>(S))
    return llvm::all_of(C->body(), isNoOp);
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return false;
  E = E->IgnoreParenCasts();
  if (const auto *B = dyn_cast<BinaryOperator>(E);
      B && B->getOpcode() == BO_Assign) {
    const auto *L = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts());
    const auto *R = dyn_cast<DeclRefExpr>(B->getRHS()->IgnoreParenImpCasts());
    return L && R && L->getDecl() == R->getDecl();
  }
  return isa<DeclRefExpr>(E) || isa<IntegerLiteral>(E);
}

const CallExpr *dmacheck::forwardingCall(const FunctionDecl *FD) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
  if (!Body)
    return nullptr;
  const CallExpr *Forward = nullptr;
  for (const Stmt *S : Body->body()) {
    if (isNoOp(S))
      continue;
    if (Forward)
      return nullptr;
    const Expr *E = dyn_cast<Expr>(S);
    if (const auto *R = dyn_cast<ReturnStmt>(S))
      E = R->getRetValue();
    if (!E)
      return nullptr;
    if (const auto *W = dyn_cast<FullExpr>(E))
      E = W->getSubExpr();
    Forward = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
    if (!Forward)
      return nullptr;
  }
  return Forward;
}

std::vector<const FunctionDecl *>
dmacheck::synchronizedRoutines(const Stmt *Body) {
  SyncScanner Scan;
  Scan.TraverseStmt(const_cast<Stmt *>(Body));
  return std::move(Scan.Routines);
}

void dmacheck::collectAddressTaken(const Decl *D,
                                   std::set<const FunctionDecl *> &Routines) {
  AddressTaken Taken;
  Taken.TraverseDecl(const_cast<Decl *>(D));
  Routines.insert(Taken.Routines.begin(), Taken.Routines.end());
}

bool dmacheck::writesOrLeaksTable(const Decl *D, const VarDecl *VD) {
  TableUses Scan(VD);
  Scan.TraverseDecl(const_cast<Decl *>(D));
  return Scan.Unsafe;
}
