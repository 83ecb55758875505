// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmacheck/Report.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "llvm/Config/llvm-config.h"

using namespace clang;

void dmacheck::printFindings(const std::vector<Finding> &Findings,
                             SourceManager &SM, const LangOptions &LO,
                             llvm::raw_ostream &OS, const TextOptions &Opts) {
  if (Findings.empty())
    return;
  // LLVM 21 passes DiagnosticOptions by reference; earlier versions share it.
#if LLVM_VERSION_MAJOR >= 21
  DiagnosticOptions DiagOpts;
  DiagOpts.ShowColors = Opts.Color;
  TextDiagnosticPrinter Printer(OS, DiagOpts);
  DiagnosticsEngine Diags(new DiagnosticIDs, DiagOpts, &Printer,
                          /*ShouldOwnClient=*/false);
#else
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> DiagOpts(new DiagnosticOptions);
  DiagOpts->ShowColors = Opts.Color;
  TextDiagnosticPrinter Printer(OS, DiagOpts.get());
  DiagnosticsEngine Diags(new DiagnosticIDs, DiagOpts, &Printer,
                          /*ShouldOwnClient=*/false);
#endif
  Diags.setSourceManager(&SM);
  Printer.BeginSourceFile(LO, nullptr);
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
  unsigned WarningId = Diags.getCustomDiagID(DiagnosticsEngine::Warning, "%0");
  unsigned NoteId = Diags.getCustomDiagID(DiagnosticsEngine::Note, "%0");
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
  for (const Finding &F : Findings) {
    {
      DiagnosticBuilder B = Diags.Report(F.Loc, WarningId);
      B << (F.Message + " [" + checkInfo(F.Check).Name.str() + "]");
      for (const FindingFix &X : F.Fixes)
        B << FixItHint::CreateReplacement(X.Range, X.Text);
    }
    for (const FindingNote &N : F.Notes)
      Diags.Report(N.Loc, NoteId) << N.Message;
  }
  Printer.EndSourceFile();
  OS.flush();
}
