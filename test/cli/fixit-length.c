// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-length-mismatch fix-its: the flush is given the variable whose
// address MapTransfer was given (it holds the length mapped), when it was not
// changed since; none after several maps (the flush needs the operation's
// total, which no one variable provably holds).
//
// RUN: %gcc-wdm %s
// RUN: %both %s -- %wdm | FileCheck %s --check-prefix=SHOW
// RUN: cp %s %t.c
// RUN: %exit 1 -- %dmacheck --fix --quiet %t.c -- %wdm > /dev/null
// RUN: FileCheck %s --check-prefix=FIXED < %t.c
// RUN: %gcc-wdm %t.c
// RUN: %exit 0 -- %dmacheck %t.c -- %wdm
// RUN: cp %s %t.tidy.c
// RUN: %tidy-fix --checks=-*,dma-* --quiet --fix %t.tidy.c -- %wdm > /dev/null 2>&1
// RUN: diff %t.c %t.tidy.c
#include "dmatest.h"

#define MAX_TRANSFER (4 * PAGE_SIZE)

// A polled split loop flushes the counter it ran down: 'len' holds the
// length of this piece.
VOID SplitLoopFlushesRemaining(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  while (remaining) {
    ULONG len = remaining;
    PUCHAR pieceVa = va;
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, TRUE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Length, len);
    WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
    while (!(READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_DONE))
      KeStallExecutionProcessor(10);
    va += len;
    remaining -= len;
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, pieceVa,
                          remaining, TRUE);
    // SHOW: fixit-length.c:[[@LINE-1]]:27: warning: 'IoFlushAdapterBuffers' is passed 'remaining' as Length
    // SHOW-NEXT: remaining, TRUE);
    // SHOW-NEXT: {{^ *(\| +)?\^~+$}}
    // SHOW-NEXT: {{^ *(\| +)?len$}}
    // FIXED: {{^}}                          len, TRUE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The length lives in the device extension: the map was given
// &Ext->Length, which still holds the length mapped.
VOID FieldLength(PDEVICE_EXTENSION Ext, PIRP Irp, PVOID va) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG left = MmGetMdlByteCount(Mdl);
  Ext->Length = left;
  Ext->Ops->MapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va,
                        &Ext->Length, FALSE);
  left -= Ext->Length;
  Ext->Ops->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va,
                                left, FALSE);
  // SHOW: fixit-length.c:[[@LINE-1]]:33: warning: 'FlushAdapterBuffers' is passed 'left' as Length
  // SHOW: {{^ *(\| +)?Ext->Length$}}
  // FIXED: {{^}}                                Ext->Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
