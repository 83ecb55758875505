// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Fix-its (checks/CheckContext.h): a flush argument is replaced with an
// expression that provably holds the value the map was given, and only
// then. Provably: on every path the walk took to the flush, the expression,
// evaluated there, is the very value (the same ValueId) the transfer was
// mapped with; it is a variable, or a field reached from one, with no side
// effects; and its name, written at the flush, denotes that variable (a
// parameter or a local of an enclosing scope, not hidden). A check proposes
// (fixFor) on the path that proves its finding; the walker notes every path
// that reaches the flush (noteFlush), and finish() keeps the candidates all
// of them allow.
#include "checks/CheckContext.h"

#include "clang/AST/ExprCXX.h"

#include <functional>
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>

using namespace clang;
using namespace dmacheck;

namespace {
bool isPlainText(llvm::StringRef T) {
  if (T.empty())
    return false;
  for (char C : T)
    if (!(isalnum(static_cast<unsigned char>(C)) || C == '_' || C == '.' ||
          C == '-' || C == '>' || C == ' ' || C == '(' || C == ')' ||
          C == '*'))
      return false;
  return true;
}
} // namespace

std::string CheckContext::sourceText(CharSourceRange R) const {
  const SourceManager &SM = Ctx.getSourceManager();
  if (R.isInvalid() || R.getBegin().isMacroID() || R.getEnd().isMacroID())
    return "";
  bool Invalid = false;
  llvm::StringRef T = Lexer::getSourceText(R, SM, Ctx.getLangOpts(), &Invalid);
  if (Invalid)
    return "";
  return T.str();
}

const VarDecl *CheckContext::chainRoot(const Expr *E) const {
  for (;;) {
    E = E->IgnoreParens();
    if (const auto *C = dyn_cast<CastExpr>(E)) {
      E = C->getSubExpr();
      continue;
    }
    if (const auto *M = dyn_cast<MemberExpr>(E)) {
      if (!isa<FieldDecl>(M->getMemberDecl()))
        return nullptr;
      E = M->getBase();
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      return VD && VD->hasLocalStorage() ? VD : nullptr;
    }
    return nullptr;
  }
}

ValueId CheckContext::valueAt(const PathState &S, const Expr *E) const {
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || !VD->hasLocalStorage())
      return NoValue;
    if (const ValueId *V = S.Env.lookup({Location::Variable, VD, NoValue}))
      return *V;
    return Values.findInitialLocal(VD);
  }
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl());
    if (!FD)
      return NoValue;
    ValueId Base = M->isArrow() ? valueAt(S, M->getBase())
                                : addressAt(S, M->getBase());
    if (Base == NoValue)
      return NoValue;
    if (const ValueId *V = S.Env.lookup({Location::Field, FD, Base}))
      return *V;
    const ValueId *Epoch = S.Epochs.lookup(Base);
    return Values.findInitialField(Base, FD, Epoch ? *Epoch : NoValue);
  }
  return NoValue;
}

ValueId CheckContext::addressAt(const PathState &S, const Expr *E) const {
  E = E->IgnoreParens();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && VD->hasLocalStorage() ? Values.addressOf(VD) : NoValue;
  }
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl());
    if (!FD)
      return NoValue;
    ValueId Base = M->isArrow() ? valueAt(S, M->getBase())
                                : addressAt(S, M->getBase());
    return Base == NoValue ? NoValue : Values.fieldAddress(Base, FD);
  }
  return NoValue;
}

bool CheckContext::visibleAt(const VarDecl *VD, const Stmt *At) const {
  if (!VD || !VD->hasLocalStorage() || !VD->getIdentifier())
    return false;
  // Asked again for every path that reaches the flush: the answer is the
  // function's, not the path's.
  auto [It, New] = Visible.try_emplace({VD, At}, false);
  if (New)
    It->second = lookUpVisible(VD, At);
  return It->second;
}

const std::vector<const Stmt *> &CheckContext::chainTo(const Stmt *At) const {
  auto [It, New] = Chains.try_emplace(At);
  if (!New || !Function || !Function->getBody())
    return It->second;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation L = SM.getExpansionLoc(At->getBeginLoc());
  std::vector<const Stmt *> Chain;
  // Depth-first, into the children whose range holds L; bounded.
  unsigned Visits = 0;
  std::function<bool(const Stmt *)> Down = [&](const Stmt *S) {
    Chain.push_back(S);
    if (S == At)
      return true;
    if (++Visits < 100000)
      for (const Stmt *C : S->children()) {
        if (!C)
          continue;
        SourceLocation B = SM.getExpansionLoc(C->getBeginLoc());
        SourceLocation E = SM.getExpansionLoc(C->getEndLoc());
        if (B.isInvalid() || E.isInvalid() ||
            SM.isBeforeInTranslationUnit(L, B) ||
            SM.isBeforeInTranslationUnit(E, L))
          continue;
        if (Down(C))
          return true;
      }
    Chain.pop_back();
    return false;
  };
  if (L.isValid() && Down(Function->getBody()))
    It->second = std::move(Chain);
  return It->second;
}

bool CheckContext::lookUpVisible(const VarDecl *VD, const Stmt *At) const {
  llvm::StringRef Name = VD->getName();
  auto Named = [&](const Decl *D) -> const VarDecl * {
    const auto *V = dyn_cast<VarDecl>(D);
    return V && V->getIdentifier() && V->getName() == Name ? V : nullptr;
  };
  auto LastIn = [&](const Stmt *S, const VarDecl *&Last) {
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const VarDecl *V = Named(D))
          Last = V;
  };
  // The statements that enclose At, found by descending from the body into
  // the children whose source range holds it (a few per level), or from the
  // body's parent map when that fails (a node with no location).
  const std::vector<const Stmt *> &Chain = chainTo(At);
  auto Parent = [&](const Stmt *S) -> const Stmt * {
    if (Chain.empty())
      return parentOf(S);
    auto It = llvm::find(Chain, S);
    return It == Chain.end() || It == Chain.begin() ? nullptr : *(It - 1);
  };
  const Stmt *Child = At;
  for (unsigned Depth = 0; Depth < 4096; ++Depth) {
    const Stmt *P = Parent(Child);
    const VarDecl *Last = nullptr;
    if (!P) {
      // Child is the body: the function's parameters.
      if (!Function || Child != Function->getBody())
        return false;
      for (const ParmVarDecl *PV : Function->parameters())
        if (Named(PV))
          return PV == VD;
      return false;
    }
    if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
      for (const Stmt *S : CS->body()) {
        if (S == Child)
          break;
        LastIn(S, Last);
      }
    } else if (const auto *FS = dyn_cast<ForStmt>(P)) {
      if (Child != FS->getInit())
        LastIn(FS->getInit(), Last);
    } else if (isa<LambdaExpr>(P) || isa<BlockExpr>(P)) {
      return false; // a lambda's or a block's body: not followed
    }
    if (Last)
      return Last == VD;
    Child = P;
  }
  return false;
}

std::vector<std::string> CheckContext::candidates(const PathState &S,
                                                  const Transfer &T,
                                                  const FlushSite &F,
                                                  FixRole R,
                                                  const HeldValues *Held) {
  std::vector<std::string> Out;
  if (F.Helper || S.PendingSeed)
    return Out;
  ValueId V = NoValue;
  const RecognisedCall &Map = callee(T.MapCall);
  int MapIndex = -1;
  switch (R) {
  case FixRole::CurrentVa:
    V = T.CurrentVa;
    MapIndex = Map.Rule->Arguments.CurrentVa;
    break;
  case FixRole::Length:
    // Mapped piece by piece, the flush needs the operation's total, which
    // no one value is.
    V = T.Several ? NoValue : T.Mapped;
    MapIndex = Map.Rule->Arguments.Length;
    break;
  case FixRole::Mdl:
    V = T.Mdl;
    MapIndex = Map.Rule->Arguments.Mdl;
    break;
  case FixRole::MapRegisterBase:
    V = T.MapRegisterBase;
    MapIndex = Map.Rule->Arguments.MapRegisterBase;
    break;
  case FixRole::WriteToDevice:
    V = T.WriteToDevice;
    MapIndex = Map.Rule->Arguments.WriteToDevice;
    break;
  case FixRole::Count:
    break;
  }
  int64_t C;
  // A constant is held by any variable that happens to hold it: no proof
  // that it is the one the map meant.
  if (V == NoValue || Values.isConstant(V, C))
    return Out;
  auto Add = [&](std::string Text) {
    if (!Text.empty() && !llvm::is_contained(Out, Text))
      Out.push_back(std::move(Text));
  };
  // Variables that hold the value now, earliest declared first (a copy
  // saved before the cursor moved: `start`).
  std::vector<const VarDecl *> Holders;
  auto Consider = [&](const Location &Loc, ValueId Val) {
    if (Loc.What != Location::Variable || Val != V)
      return;
    const auto *VD =
        dyn_cast<VarDecl>(static_cast<const ValueDecl *>(Loc.Decl));
    if (VD && visibleAt(VD, F.Call))
      Holders.push_back(VD);
  };
  if (Held)
    for (const auto &[Loc, Val] : *Held)
      Consider(Loc, Val);
  else
    for (const auto &[Loc, Val] : S.Env)
      Consider(Loc, Val);
  // A parameter or local never written on this path holds its initial value.
  const ValueInfo &I = Values.info(V);
  if (I.Kind == ValueKind::Initial && I.Decl)
    if (const auto *VD = dyn_cast<VarDecl>(I.Decl))
      if (!S.Env.contains({Location::Variable, VD, NoValue}) &&
          visibleAt(VD, F.Call))
        Holders.push_back(VD);
  const SourceManager &SM = Ctx.getSourceManager();
  std::stable_sort(Holders.begin(), Holders.end(),
                   [&](const VarDecl *A, const VarDecl *B) {
                     return SM.isBeforeInTranslationUnit(A->getLocation(),
                                                         B->getLocation());
                   });
  for (const VarDecl *VD : Holders)
    Add(VD->getName().str());
  // The map's own expression (a field through a variable: `ext->Start`),
  // when it still has the mapped value.
  if (const Expr *MapArg = arg(T.MapCall, MapIndex)) {
    if (R == FixRole::Length) {
      const auto *U = dyn_cast<UnaryOperator>(MapArg->IgnoreParenImpCasts());
      MapArg = U && U->getOpcode() == UO_AddrOf ? U->getSubExpr() : nullptr;
    }
    const VarDecl *Root = MapArg ? chainRoot(MapArg) : nullptr;
    if (Root && visibleAt(Root, F.Call) && valueAt(S, MapArg) == V) {
      std::string Text = sourceText(Lexer::makeFileCharRange(
          CharSourceRange::getTokenRange(MapArg->getSourceRange()), SM,
          Ctx.getLangOpts()));
      if (isPlainText(Text) && Text.find('\n') == std::string::npos)
        Add(Text);
    }
  }
  return Out;
}

void CheckContext::noteFlush(const PathState &S, const Transfer &T,
                             const FlushSite &F) {
  if (!enabled(CheckId::FlushVaMismatch) &&
      !enabled(CheckId::FlushLengthMismatch) &&
      !enabled(CheckId::FlushArgMismatch))
    return;
  if (F.Helper)
    return;
  // The variables that hold one of T's values, in one pass over the
  // environment (it may hold thousands of locals).
  HeldValues Held;
  for (const auto &[Loc, Val] : S.Env)
    if (Loc.What == Location::Variable && Val != NoValue &&
        (Val == T.CurrentVa || Val == T.Mapped || Val == T.Mdl ||
         Val == T.MapRegisterBase || Val == T.WriteToDevice))
      Held.push_back({Loc, Val});
  for (unsigned R = 0; R < unsigned(FixRole::Count); ++R) {
    auto [It, New] = Allowed.try_emplace({F.Call, R});
    if (!New && It->second.empty())
      continue; // nothing left to allow
    std::vector<std::string> Here = candidates(S, T, F, FixRole(R), &Held);
    if (New) {
      It->second = std::move(Here);
      continue;
    }
    llvm::erase_if(It->second, [&](const std::string &C) {
      return !llvm::is_contained(Here, C);
    });
  }
}

void CheckContext::noteUnmatchedFlush(const FlushSite &F) {
  for (unsigned R = 0; R < unsigned(FixRole::Count); ++R)
    Allowed[{F.Call, R}].clear();
}

std::optional<PendingFix> CheckContext::fixFor(const PathState &S,
                                               const Transfer &T,
                                               const FlushSite &F, FixRole R,
                                               const Expr *Arg) {
  if (!Arg || F.Helper)
    return std::nullopt;
  PendingFix P;
  P.Call = F.Call;
  P.Role = R;
  P.Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Arg->getSourceRange()),
      Ctx.getSourceManager(), Ctx.getLangOpts());
  P.Current = sourceText(P.Range);
  if (P.Current.empty())
    return std::nullopt;
  P.Preferred = candidates(S, T, F, R);
  if (P.Preferred.empty())
    return std::nullopt;
  return P;
}

void CheckContext::finish(bool Complete) {
  for (BufferedFinding &B : Buffered) {
    if (Complete && B.Fix) {
      auto It = Allowed.find({B.Fix->Call, unsigned(B.Fix->Role)});
      if (It != Allowed.end())
        for (const std::string &C : B.Fix->Preferred)
          if (C != B.Fix->Current && llvm::is_contained(It->second, C)) {
            B.F.Fixes.push_back({B.Fix->Range, C});
            break;
          }
    }
    EmitFn(std::move(B.F));
  }
  Buffered.clear();
  Allowed.clear();
}
