// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The call conventions of model/Calls.h.
#include "model/Calls.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;
using namespace dmacheck;

const CXXMethodDecl *dmacheck::instanceMethod(const FunctionDecl *FD) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
  // A lambda's call operator has a `this`, the closure's, which is not the
  // `this` its body names: not a method here.
  return M && M->isInstance() && !M->getParent()->isLambda() ? M : nullptr;
}

const ValueDecl *dmacheck::parameterDecl(const FunctionDecl *FD, int Index) {
  if (Index == ThisParam)
    return instanceMethod(FD);
  if (Index < 0 || unsigned(Index) >= FD->getNumParams())
    return nullptr;
  return FD->getParamDecl(unsigned(Index));
}

llvm::SmallVector<int, 8> dmacheck::parameterIndexes(const FunctionDecl *FD) {
  llvm::SmallVector<int, 8> Out;
  if (instanceMethod(FD))
    Out.push_back(ThisParam);
  for (unsigned I = 0; I < FD->getNumParams(); ++I)
    Out.push_back(int(I));
  return Out;
}

/// A call to a member operator (`obj(x)`, `a = b` on a class), or a
/// destructor call the walk makes for an object leaving its scope
/// (destructorCall: `~T(&obj)`): its first argument is the object.
static bool objectIsFirstArgument(const CallExpr *Call) {
  if (isa<CXXMemberCallExpr>(Call))
    return false;
  if (isa<CXXOperatorCallExpr>(Call))
    return instanceMethod(Call->getDirectCallee()) != nullptr;
  return isa_and_nonnull<CXXDestructorDecl>(Call->getDirectCallee()) &&
         Call->getNumArgs() == 1;
}

const CallExpr *dmacheck::destructorCall(ASTContext &Ctx,
                                         const CXXDestructorDecl *Dtor,
                                         const VarDecl *Object,
                                         SourceLocation At) {
  auto *D = const_cast<CXXDestructorDecl *>(Dtor);
  auto *V = const_cast<VarDecl *>(Object);
  QualType ObjectType = V->getType().getNonReferenceType();
  Expr *Fn = DeclRefExpr::Create(Ctx, NestedNameSpecifierLoc(),
                                 SourceLocation(), D, false, At,
                                 D->getType(), VK_LValue);
  Expr *Obj = DeclRefExpr::Create(Ctx, NestedNameSpecifierLoc(),
                                  SourceLocation(), V, false, At, ObjectType,
                                  VK_LValue);
  Expr *Address = UnaryOperator::Create(
      Ctx, Obj, UO_AddrOf, Ctx.getPointerType(ObjectType), VK_PRValue,
      OK_Ordinary, At, false, FPOptionsOverride());
  return CallExpr::Create(Ctx, Fn, {Address}, Ctx.VoidTy, VK_PRValue, At,
                          FPOptionsOverride());
}

unsigned dmacheck::firstExplicitArgument(const CallExpr *Call) {
  return objectIsFirstArgument(Call) ? 1 : 0;
}

const Expr *dmacheck::explicitArgument(const CallExpr *Call, int Index) {
  if (Index < 0)
    return nullptr;
  unsigned I = unsigned(Index) + firstExplicitArgument(Call);
  return I < Call->getNumArgs() ? Call->getArg(I) : nullptr;
}

const Expr *dmacheck::objectArgument(const CallExpr *Call, bool &Pointer) {
  Pointer = false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj)
      return nullptr;
    // Through a pointer to a member function: `(p->*pmf)()`, `(obj.*pmf)()`.
    if (const auto *B = dyn_cast<BinaryOperator>(
            MC->getCallee()->IgnoreParens());
        B && B->isPtrMemOp()) {
      Pointer = B->getOpcode() == BO_PtrMemI;
      return Obj;
    }
    if (!instanceMethod(MC->getMethodDecl()))
      return nullptr;
    // `p->M()` names the pointer; `obj.M()` (and `M()` on `*this`, which
    // clang writes as an arrow through CXXThisExpr) the object.
    if (const auto *ME =
            dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()))
      Pointer = ME->isArrow();
    else
      Pointer = Obj->getType()->isPointerType();
    return Obj;
  }
  if (objectIsFirstArgument(Call) && Call->getNumArgs() > 0) {
    // The destructor call is given the object's address; a member operator
    // its object.
    Pointer = isa<CXXDestructorDecl>(Call->getDirectCallee());
    return Call->getArg(0);
  }
  return nullptr;
}

const CXXRecordDecl *dmacheck::objectRecord(const CallExpr *Call) {
  bool Pointer;
  const Expr *Obj = objectArgument(Call, Pointer);
  if (!Obj)
    return nullptr;
  QualType T = Obj->getType();
  if (Pointer)
    T = T->getPointeeType();
  return T.isNull() ? nullptr : T->getAsCXXRecordDecl();
}

bool dmacheck::isVirtualDispatch(const CallExpr *Call) {
  const CXXMethodDecl *M = instanceMethod(Call->getDirectCallee());
  if (!M || !M->isVirtual())
    return false;
  // `Base::M()` calls Base's M; a final method or class has no override.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()))
      if (ME->hasQualifier())
        return false;
  if (M->hasAttr<FinalAttr>() || M->getParent()->hasAttr<FinalAttr>())
    return false;
  return true;
}

bool dmacheck::isLambdaCall(const CallExpr *Call) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
  return M && M->getParent()->isLambda();
}

const FunctionDecl *dmacheck::directTarget(const CallExpr *Call) {
  return isVirtualDispatch(Call) ? nullptr : Call->getDirectCallee();
}

bool dmacheck::isReference(const ValueDecl *D) {
  return D && D->getType()->isReferenceType();
}
