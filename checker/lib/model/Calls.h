// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// How a call hands its callee what the callee's parameters receive, in C and
// in C++: the explicit arguments (a member operator's object is its call's
// first argument, so its parameters start at the second), the implicit object
// argument of a member call (`this`: ThisParam in summaries), references
// (bound to an address: a reference is a pointer the language dereferences),
// and calls whose target is not the declaration they name (virtual dispatch).
#ifndef DMACHECK_MODEL_CALLS_H
#define DMACHECK_MODEL_CALLS_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallVector.h"

namespace dmacheck {

/// The parameter index that stands for a C++ method's implicit object
/// parameter, `this` (ParamRef::Index, SlotRef::Index in summaries): at a
/// call, the object the method is called on (`p->M()`: p; `obj.M()`: &obj).
constexpr int ThisParam = -2;

/// The method if FD has a `this` (a non-static member function).
const clang::CXXMethodDecl *instanceMethod(const clang::FunctionDecl *FD);

/// The declaration that stands for FD's parameter Index in the walk's
/// values: its ParmVarDecl, or for ThisParam the method itself, whose
/// initial value is `this`. Null if there is no such parameter.
const clang::ValueDecl *parameterDecl(const clang::FunctionDecl *FD, int Index);
/// FD's parameter indexes: ThisParam first for a method with `this`,
/// then 0 .. N-1.
llvm::SmallVector<int, 8> parameterIndexes(const clang::FunctionDecl *FD);

/// The index in Call->arguments() of the callee's first parameter: 1 for a
/// member operator (its object comes first), else 0.
unsigned firstExplicitArgument(const clang::CallExpr *Call);

/// The expression a call gives its callee's parameter Index (>= 0), or null.
const clang::Expr *explicitArgument(const clang::CallExpr *Call, int Index);

/// The object a member call is made on (`p` of `p->M()`, `obj` of `obj.M()`,
/// `*this` of an implicit `M()`), or null; Pointer says whether that
/// expression is the pointer `this` will be, or the object itself (whose
/// address it will be).
const clang::Expr *objectArgument(const clang::CallExpr *Call, bool &Pointer);

/// The record the implicit object argument of a member call is.
const clang::CXXRecordDecl *objectRecord(const clang::CallExpr *Call);

/// Whether the call dispatches through the object's virtual table: its
/// target is an override the translation unit may not show.
bool isVirtualDispatch(const clang::CallExpr *Call);

/// Whether the call runs a lambda's body: the closure's `this` is not the
/// object the body's `this` and captures refer to, so what it does is not
/// summarised in terms of its arguments.
bool isLambdaCall(const clang::CallExpr *Call);

/// The function a call runs, when it is the one it names (not a virtual
/// dispatch, not through a pointer).
const clang::FunctionDecl *directTarget(const clang::CallExpr *Call);

/// A call of destructor Dtor for Object, leaving its scope at At (the CFG's
/// implicit destructor): built in the AST's memory as `~T(&Object)`, so that
/// a destructor that releases is applied and reported like any call.
const clang::CallExpr *destructorCall(clang::ASTContext &Ctx,
                                      const clang::CXXDestructorDecl *Dtor,
                                      const clang::VarDecl *Object,
                                      clang::SourceLocation At);

/// Whether the declaration is a C++ reference (its value, in the walk, is
/// the address it is bound to).
bool isReference(const clang::ValueDecl *D);

} // namespace dmacheck

#endif
