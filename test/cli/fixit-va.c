// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-va-mismatch fix-its: the flush is given the variable that still
// holds the initial CurrentVa (a saved copy, or the map's own argument when
// it was not advanced since). Shown by both front ends; applied by
// `dmacheck --fix`, `clang-tidy --fix` and written by --export-fixes; the
// result compiles and is clean.
//
// RUN: %gcc-wdm %s
// RUN: %both %s -- %wdm | FileCheck %s --check-prefix=SHOW
// RUN: %exit 1 -- %dmacheck --format=json %s -- %wdm | FileCheck %s --check-prefix=JSON
// RUN: %exit 1 -- %dmacheck --format=sarif %s -- %wdm | FileCheck %s --check-prefix=SARIF
//
// RUN: cp %s %t.c
// RUN: %exit 1 -- %dmacheck --fix %t.c -- %wdm 2>&1 >/dev/null | FileCheck %s --check-prefix=NOTE
// RUN: FileCheck %s --check-prefix=FIXED --implicit-check-not="{{^}}  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va," < %t.c
// RUN: %gcc-wdm %t.c
// RUN: %exit 0 -- %dmacheck %t.c -- %wdm
// A second --fix has nothing left to do.
// RUN: cp %t.c %t.again.c && %exit 0 -- %dmacheck --fix %t.again.c -- %wdm && cmp %t.c %t.again.c
//
// RUN: cp %s %t.tidy.c
// RUN: %tidy-fix --checks=-*,dma-* --quiet --fix %t.tidy.c -- %wdm > /dev/null 2>&1
// RUN: diff %t.c %t.tidy.c
// RUN: %tidy-fix --checks=-*,dma-* --quiet --export-fixes=%t.yaml %s -- %wdm > /dev/null 2>&1
// RUN: FileCheck %s --check-prefix=YAML < %t.yaml
#include "dmatest.h"

// The start is still held in 'startVa': the flush is given it.
VOID SavedStart(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR startVa = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR va = startVa;
  ULONG len = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  va += len;
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  KeStallExecutionProcessor(50);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // SHOW: fixit-va.c:[[@LINE-1]]:56: warning: 'IoFlushAdapterBuffers' is passed 'va', which was advanced after 'IoMapTransfer' (line [[@LINE-4]]); the flush needs the initial CurrentVa ('startVa') [dma-flush-va-mismatch]
  // SHOW-NEXT: IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // SHOW-NEXT: {{^ *(\| +)?\^~+$}}
  // SHOW-NEXT: {{^ *(\| +)?startVa$}}
  // SHOW-NEXT: note: transfer mapped here
  // FIXED: {{^}}  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, startVa, len, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A field cursor advanced after the map; the parameter the map was given
// was not changed since: the flush is given the map's own expression.
VOID MapArgumentStillHeld(PDEVICE_EXTENSION Ext, PIRP Irp, PVOID CurrentVa) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG len = MmGetMdlByteCount(Mdl);
  Ext->DmaAdapter->DmaOperations->MapTransfer(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, CurrentVa, &len, FALSE);
  PVOID cursor = CurrentVa;
  cursor = (PUCHAR)cursor + len;
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, cursor, len, FALSE);
  // SHOW: fixit-va.c:[[@LINE-1]]:51: warning: 'FlushAdapterBuffers' is passed 'cursor'
  // SHOW: {{^ *(\| +)?CurrentVa$}}
  // FIXED: {{^}}      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, CurrentVa, len, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// JSON: "fixes": [
// JSON: "endColumn": 58,
// JSON: "replacement": "startVa"
// JSON: "replacement": "CurrentVa"
// SARIF: "fixes": [
// SARIF: "artifactChanges": [
// SARIF: "deletedRegion": {
// SARIF: "insertedContent": {
// SARIF-NEXT: "text": "startVa"
// NOTE: dmacheck: note: applied 2 fix-its to 1 file
// YAML: ReplacementText: startVa
// YAML: ReplacementText: CurrentVa
