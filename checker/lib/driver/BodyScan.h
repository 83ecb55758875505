// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The driver model's eyes: syntactic scans of one body or declaration, with
// no path sensitivity. What a body calls and which DMA events it contains,
// which routines it registers as what, which fields it writes, which routines
// it hands to KeSynchronizeExecution, which routines have their address taken,
// and whether a global table is ever written. DriverModel caches the results.
#ifndef DMACHECK_DRIVER_BODYSCAN_H
#define DMACHECK_DRIVER_BODYSCAN_H

#include "dmacheck/Events.h"

#include "clang/AST/Decl.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace dmacheck {

class OsCode;

/// What one body contains, as far as the engine cares.
struct FunctionFacts {
  bool AnyEvent = false;
  bool AnyMap = false;
  bool AnyOtherEvent = false;
  bool HasErrors = false;
  bool HasFinally = false;
  std::vector<const clang::FunctionDecl *> Callees;
  std::set<const clang::FieldDecl *> FieldRefs;
  /// Routines the body registers, with the role (AllocateAdapterChannel's
  /// routine is "adapter-control", KeInitializeDpc's "dpc", ...).
  std::vector<std::pair<const clang::FunctionDecl *, std::string>> Roles;
  /// Routines whose address the body takes (named, not only called):
  /// canonical declarations.
  std::vector<const clang::FunctionDecl *> AddressTaken;
};

/// The fields a body writes itself, and what else it depends on for that:
/// callees, callbacks it names, system routines handed a pointer to the
/// driver's memory, and whether it writes through a pointer or hands one to
/// code we cannot see (All).
struct BodyWrites {
  bool All = false;
  std::set<std::string> Fields; // fieldKey()
  std::vector<const clang::FunctionDecl *> Callees, Callbacks, PointerCalls;
};

/// Both, from one walk over the body.
struct BodyScan {
  FunctionFacts Facts;
  BodyWrites Writes;
};
BodyScan scanBody(const clang::Stmt *Body, const EventRecognizer &R,
                  OsCode &Os);

/// The call a forwarding routine's body is (a C++ driver's static thunk:
/// `return static_cast<CDev *>(Context)->OnChannel(Irp, Base);`): its only
/// statement besides no-ops (UNREFERENCED_PARAMETER), or null.
const clang::CallExpr *forwardingCall(const clang::FunctionDecl *FD);

/// The routines a body hands to KeSynchronizeExecution.
std::vector<const clang::FunctionDecl *>
synchronizedRoutines(const clang::Stmt *Body);

/// Adds to Routines those whose address D takes (handed to a registration,
/// kept in a table), not only calls: for a global's initializer (a body's
/// are in its FunctionFacts).
void collectAddressTaken(const clang::Decl *D,
                         std::set<const clang::FunctionDecl *> &Routines);

/// Whether D writes the global table VD (an assignment, increment or address
/// taken of anything rooted at it, an element handed to a call) or lets it
/// escape (named other than as the base of a subscript).
bool writesOrLeaksTable(const clang::Decl *D, const clang::VarDecl *VD);

/// "record.field", the same in every file of the driver.
std::string fieldKey(const clang::FieldDecl *F);
/// The routine's name for the driver's other files (qualified in C++).
std::string routineKey(const clang::FunctionDecl *FD);
/// The role a routine type names (DRIVER_CONTROL: "adapter-control").
const char *roleOfTypedef(llvm::StringRef Name);
/// The role a routine's signature says it plays, when nothing declares it.
const char *roleOfSignature(const clang::FunctionDecl *FD);
/// The routine an argument names (`RefDpc`, `(PKDEFERRED_ROUTINE)RefDpc`).
const clang::FunctionDecl *routineNamed(const clang::Expr *E);

} // namespace dmacheck

#endif
