// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmacheck/Events.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"

using namespace clang;
using namespace dmacheck;

llvm::StringRef dmacheck::apiNameFor(EventKind K) {
  switch (K) {
  case EventKind::Map:
    return "MapTransfer";
  case EventKind::Flush:
    return "FlushAdapterBuffers";
  case EventKind::FreeMapRegisters:
    return "FreeMapRegisters";
  case EventKind::FreeAdapterChannel:
    return "FreeAdapterChannel";
  case EventKind::PutAdapter:
    return "PutDmaAdapter";
  case EventKind::CompleteRequest:
    return "IoCompleteRequest";
  case EventKind::AllocateChannel:
    return "AllocateAdapterChannel";
  case EventKind::GetScatterGather:
    return "GetScatterGatherList";
  case EventKind::PutScatterGather:
    return "PutScatterGatherList";
  case EventKind::CancelTransfer:
    return "CancelMappedTransfer";
  }
  return "";
}

static bool isDmaOperationsRecord(const RecordDecl *RD) {
  if (!RD)
    return false;
  // Header sets spell the tag _DMA_OPERATIONS (WDK, mingw-w64, ReactOS); a
  // typedef-only anonymous struct is found through its typedef name.
  StringRef Name = RD->getName();
  if (Name.empty())
    if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
      Name = TD->getName();
  return Name.contains("DMA_OPERATIONS");
}

const EventRule *
EventRecognizer::operationMember(const MemberExpr *M) const {
  const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl());
  if (!FD || !isDmaOperationsRecord(FD->getParent()))
    return nullptr;
  return Model.byOperation(FD->getName());
}

const EventRule *EventRecognizer::byTypeSugar(QualType T,
                                              std::string &Name) const {
  // Walk the sugar: PFLUSH_ADAPTER_BUFFERS, a driver's own typedef of it, ...
  for (int Depth = 0; Depth < 16 && !T.isNull(); ++Depth) {
    if (const auto *TT = T->getAs<TypedefType>()) {
      if (const EventRule *R = Model.byType(TT->getDecl()->getName())) {
        Name = TT->getDecl()->getName().str();
        return R;
      }
      T = TT->getDecl()->getUnderlyingType();
      continue;
    }
    // Through the pointer: `FLUSH_ADAPTER_BUFFERS *p` where the typedef names
    // the function type.
    if (const auto *PT = T->getAs<PointerType>()) {
      T = PT->getPointeeType();
      continue;
    }
    break;
  }
  return nullptr;
}

std::optional<RecognisedCall>
EventRecognizer::recognise(const CallExpr *Call) const {
  RecognisedCall Result;
  const Expr *Callee = Call->getCallee();
  if (!Callee)
    return std::nullopt;

  if (const FunctionDecl *FD = Call->getDirectCallee()) {
    if (const IdentifierInfo *II = FD->getIdentifier()) {
      if (const EventRule *R = Model.byFunction(II->getName())) {
        Result.Rule = R;
        Result.CalleeName = II->getName().str();
      }
    }
  }

  if (!Result.Rule) {
    // Calls through pointers: strip the implicit decay, parens and an explicit
    // `(*p)(...)` dereference, then look at what is called.
    const Expr *E = Callee;
    for (;;) {
      E = E->IgnoreParenImpCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(E))
        if (U->getOpcode() == UO_Deref) {
          E = U->getSubExpr();
          continue;
        }
      break;
    }
    if (const auto *M = dyn_cast<MemberExpr>(E)) {
      if (const EventRule *R = operationMember(M)) {
        Result.Rule = R;
        Result.CalleeName = M->getMemberDecl()->getName().str();
      }
    }
    if (!Result.Rule) {
      // By the declared type of whatever holds the pointer, then by the type
      // of any explicit cast on the way.
      std::string TypeName;
      for (const Expr *Cur = Callee; Cur && !Result.Rule;) {
        if (const EventRule *R = byTypeSugar(Cur->getType(), TypeName)) {
          Result.Rule = R;
          break;
        }
        if (const auto *Cast = dyn_cast<CastExpr>(Cur))
          Cur = Cast->getSubExpr();
        else if (const auto *P = dyn_cast<ParenExpr>(Cur))
          Cur = P->getSubExpr();
        else if (const auto *U = dyn_cast<UnaryOperator>(Cur);
                 U && U->getOpcode() == UO_Deref)
          Cur = U->getSubExpr();
        else
          break;
      }
      if (Result.Rule) {
        const Expr *Inner = E;
        if (const auto *DRE = dyn_cast<DeclRefExpr>(Inner))
          Result.CalleeName = DRE->getDecl()->getName().str();
        else if (const auto *M = dyn_cast<MemberExpr>(Inner))
          Result.CalleeName = M->getMemberDecl()->getName().str();
        else
          Result.CalleeName = TypeName;
      }
    }
  }

  if (!Result.Rule)
    return std::nullopt;
  if (int(Call->getNumArgs()) <= Result.Rule->Arguments.maxIndex())
    return std::nullopt;
  Result.ApiName = apiNameFor(Result.Rule->Kind).str();
  if (Result.CalleeName.empty())
    Result.CalleeName = Result.ApiName;
  return Result;
}
