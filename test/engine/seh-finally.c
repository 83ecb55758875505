// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// __try/__finally: the __finally block runs on every way out of the __try
// block, __leave included. (Clang only: gcc has no SEH, so no gcc RUN line.)
//
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %exit 1 --merge -- %dmacheck --verbose %s -- %mini | FileCheck %s --check-prefix=PARTIAL
#include "dmatest.h"

// The flush is in __finally: every way out of __try flushes. Silent.
VOID FlushInFinally(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                    TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, FALSE);
  __try {
    if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR)
      __leave;
    WRITE_REGISTER_ULONG(&Regs->Control, 1);
  } __finally {
    IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// __leave skips the flush at the end of __try; __finally does not flush.
VOID LeaveSkipsFlush(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                     TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, FALSE);
  __try {
    if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR)
      __leave;
    IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  } __finally {
    WRITE_REGISTER_ULONG(&Regs->Control, 0);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line [[@LINE-9]] has not been flushed
  // CHECK: :[[@LINE-10]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-9]]:9: note: assuming 'READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR' is true
  // CHECK: :[[@LINE-9]]:7: note: jumping to '__finally'
}

// The IRP is completed in __finally, after a flush that only one branch does.
VOID CompleteInFinally(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                       TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  __try {
    if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_DONE)
      IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  } __finally {
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line [[@LINE-6]] has not been flushed
    // CHECK: note: assuming 'READ_REGISTER_ULONG(&Regs->Status) & DEVICE_DONE' is false
  }
}

// A return inside __try/__finally is not modelled: the function is reported
// as partly analysed (with --verbose) and nothing is guessed.
VOID ReturnInsideTry(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                     TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  __try {
    if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR)
      return;
  } __finally {
    IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
// PARTIAL: seh-finally.c:[[@LINE-14]]: dmacheck: note: function 'ReturnInsideTry' partly analysed: a __try block with __finally that can be left by return, goto, break or continue is not modelled
