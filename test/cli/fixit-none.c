// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// No fix-it where the repair is not provable: the initial CurrentVa is held
// by no variable any more; a copy holds it on one path only; the copy is
// out of scope at the flush; the flush is inside a helper; a path reaches
// the flush with nothing mapped; and correct code. `dmacheck --fix` and `clang-tidy --fix`
// leave the file byte for byte as it was.
//
// RUN: %gcc-wdm %s
// RUN: %both %s -- %wdm | FileCheck %s
// RUN: %exit 1 -- %dmacheck --format=json %s -- %wdm | FileCheck %s --check-prefix=JSON --implicit-check-not=fixes
// RUN: %exit 1 -- %dmacheck --format=sarif %s -- %wdm | FileCheck %s --check-prefix=JSON --implicit-check-not=fixes
// RUN: cp %s %t.c
// RUN: %exit 1 -- %dmacheck --fix %t.c -- %wdm 2>&1 >/dev/null | count 0
// RUN: cmp %s %t.c
// RUN: %tidy-fix --checks=-*,dma-* --quiet --fix %t.c -- %wdm > /dev/null 2>&1
// RUN: cmp %s %t.c
#include "dmatest.h"

#define MAX_TRANSFER (4 * PAGE_SIZE)

// The cursor advanced in place: nothing holds the start any more.
VOID NothingHoldsTheStart(PDMA_ADAPTER Adapter, PIRP Irp,
                          PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  va += len;
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // CHECK: fixit-none.c:[[@LINE-1]]:56: warning: 'IoFlushAdapterBuffers' is passed 'va'
  // CHECK-NEXT: IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // CHECK-NEXT: ^
  // CHECK-NEXT: note: transfer mapped here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// 'start' holds the start on one path only: no fix-it, though the path
// that is reported would allow it.
VOID CopyOnOnePathOnly(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR start = va;
  ULONG len = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, TRUE);
  va += len;
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR)
    start = Ext->StartVa;
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
                        TRUE);
  // CHECK: fixit-none.c:[[@LINE-2]]:69: warning: 'IoFlushAdapterBuffers' is passed 'va'
  // CHECK-NEXT: IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
  // CHECK-NEXT: ^
  // CHECK-NEXT: note: transfer mapped here
  (void)start;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The copy was made in a block that ended before the flush.
VOID CopyOutOfScope(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl);
  {
    PUCHAR saved = va;
    IoMapTransfer(Adapter, Mdl, MapRegisterBase, saved, &len, TRUE);
  }
  va += len;
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // CHECK: fixit-none.c:[[@LINE-1]]:56: warning: 'IoFlushAdapterBuffers' is passed 'va'
  // CHECK-NEXT: IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // CHECK-NEXT: ^
  // CHECK-NEXT: note: transfer mapped here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The flush is in a helper: its call's arguments are not the flush's.
static VOID EndDma(PDMA_ADAPTER Adapter, PMDL Mdl, PVOID Base, PVOID Va,
                   ULONG Len) {
  IoFlushAdapterBuffers(Adapter, Mdl, Base, Va, Len, TRUE);
}
VOID FlushInHelper(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR start = va;
  ULONG len = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  va += len;
  EndDma(Adapter, Mdl, MapRegisterBase, va, len);
  // CHECK: fixit-none.c:[[@LINE-1]]:41: warning: 'EndDma' is passed 'va'
  // CHECK-NEXT: EndDma(Adapter, Mdl, MapRegisterBase, va, len);
  // CHECK-NEXT: ^
  // CHECK-NEXT: note: transfer mapped here
  (void)start;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Mapped on one path only: the other reaches the flush with nothing mapped,
// and a fix-it would change what it flushes too.
VOID MappedOnOnePathOnly(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                         BOOLEAN UseDma) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR start = va;
  ULONG len = MmGetMdlByteCount(Mdl);
  if (UseDma)
    IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  va += len;
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // CHECK: fixit-none.c:[[@LINE-1]]:56: warning: 'IoFlushAdapterBuffers' is passed 'va'
  // CHECK-NEXT: IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // CHECK-NEXT: ^
  // CHECK-NEXT: note: transfer mapped here
  (void)start;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correct code: nothing to report, nothing to fix.
VOID Correct(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR start = va;
  ULONG len = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  va += len;
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, start, len, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// JSON: dma-flush-va-mismatch
