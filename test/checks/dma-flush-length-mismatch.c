// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-length-mismatch: the Length given to the flush is provably neither
// the requested nor the mapped length of the operation (nor its total): a
// counter run down after the map, or a constant larger than a constant request.
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

#define MAX_TRANSFER (4 * PAGE_SIZE)
#define SECTOR_SIZE 512

// ---- must fire -------------------------------------------------------------

// A polled split transfer loop asks for all that is left, runs the counter
// down, then flushes the counter instead of the piece (legacy names).
VOID SplitLoopFlushesRemainingLegacy(PDEVICE_EXTENSION Ext, PIRP Irp) {
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
    // CHECK: :[[@LINE-1]]:27: warning: 'IoFlushAdapterBuffers' is passed 'remaining' as Length, which was decremented after 'IoMapTransfer' (line [[@LINE-3]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
    // CHECK: :[[@LINE-10]]:5: note: transfer mapped here by 'IoMapTransfer'
    // CHECK: :[[@LINE-11]]:68: note: length 'len' mapped here
    // CHECK: :[[@LINE-9]]:12: note: assuming '!(READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_DONE)' is false
    // CHECK: :[[@LINE-7]]:5: note: 'remaining' decremented here
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// One operation: the byte counter, copied into the request, is decremented
// with an explicit subtraction before the flush (cached operations pointer).
VOID CounterStartedAsRequest(PDMA_ADAPTER Adapter, PIRP Irp,
                             PVOID MapRegisterBase, TEST_REGS *Regs) {
  PDMA_OPERATIONS ops = Adapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID va = MmGetMdlVirtualAddress(Mdl);
  ULONG left = MmGetMdlByteCount(Mdl);
  ULONG len = left;
  ops->MapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, FALSE);
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  left = left - len;
  KeStallExecutionProcessor(50);
  ops->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, left, FALSE);
  // CHECK: :[[@LINE-1]]:63: warning: 'FlushAdapterBuffers' is passed 'left' as Length, which was decremented after 'MapTransfer' (line [[@LINE-3]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-6]]:8: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-7]]:56: note: length 'len' mapped here
  // CHECK: :[[@LINE-6]]:3: note: 'left' decremented here
  Irp->IoStatus.Information = MmGetMdlByteCount(Mdl) - left;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// One page requested, two pages flushed (function-pointer typedef locals).
VOID ConstantFlushTooLong(PDMA_ADAPTER Adapter, PIRP Irp,
                          PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMAP_TRANSFER map = Adapter->DmaOperations->MapTransfer;
  PFLUSH_ADAPTER_BUFFERS flush = Adapter->DmaOperations->FlushAdapterBuffers;
  PMDL Mdl = Irp->MdlAddress;
  PVOID va = MmGetMdlVirtualAddress(Mdl);
  ULONG len = 0x1000;
  map(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  KeStallExecutionProcessor(50);
  flush(Adapter, Mdl, MapRegisterBase, va, 0x2000, TRUE);
  // CHECK: :[[@LINE-1]]:44: warning: 'flush' is passed '0x2000' as Length, more than the 4096 bytes requested from 'map' at line [[@LINE-4]]; the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-5]]:3: note: transfer mapped here by 'map'
  // CHECK: :[[@LINE-6]]:43: note: length 'len' mapped here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// One sector requested, a page flushed, through (*ops->X)(...).
VOID SectorRequestPageFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PDMA_OPERATIONS ops = Ext->DmaAdapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID va = MmGetMdlVirtualAddress(Mdl);
  ULONG len = SECTOR_SIZE;
  (*ops->MapTransfer)(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len,
                      FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  (*ops->FlushAdapterBuffers)(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va,
                              PAGE_SIZE, FALSE);
  // CHECK: :[[@LINE-1]]:31: warning: 'FlushAdapterBuffers' is passed 'PAGE_SIZE' as Length, more than the 512 bytes requested from 'MapTransfer' at line [[@LINE-6]]; the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-7]]:10: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-8]]:72: note: length 'len' mapped here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The counter lives in the device extension, set, requested and decremented
// here before the flush.
VOID ExtensionRemainingDecremented(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG len;
  Ext->Mdl = Irp->MdlAddress;
  Ext->CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(Ext->Mdl);
  Ext->Remaining = MmGetMdlByteCount(Ext->Mdl);
  len = Ext->Remaining;
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Ext->Mdl,
                                              Ext->MapRegisterBase,
                                              Ext->CurrentVa, &len, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  Ext->Remaining -= len;
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->CurrentVa,
      Ext->Remaining, FALSE);
  // CHECK: :[[@LINE-1]]:7: warning: 'FlushAdapterBuffers' is passed 'Ext->Remaining' as Length, which was decremented after 'MapTransfer' (line [[@LINE-4]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-9]]:35: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-8]]:64: note: length 'len' mapped here
  // CHECK: :[[@LINE-7]]:3: note: 'Ext->Remaining' decremented here
  Ext->CurrentVa += len;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The extension counter run down in a split loop before each flush.
VOID ExtensionRemainingLoop(PDEVICE_EXTENSION Ext, PIRP Irp) {
  Ext->Mdl = Irp->MdlAddress;
  Ext->CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(Ext->Mdl);
  Ext->Remaining = MmGetMdlByteCount(Ext->Mdl);
  while (Ext->Remaining) {
    ULONG len = Ext->Remaining;
    Ext->Map(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->CurrentVa,
             &len, TRUE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
    KeStallExecutionProcessor(50);
    Ext->Remaining -= len;
    Ext->Flush(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->CurrentVa,
               Ext->Remaining, TRUE);
    // CHECK: :[[@LINE-1]]:16: warning: 'Flush' is passed 'Ext->Remaining' as Length, which was decremented after 'Map' (line [[@LINE-3]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
    // CHECK: :[[@LINE-8]]:10: note: transfer mapped here by 'Map'
    // CHECK: :[[@LINE-8]]:15: note: length 'len' mapped here
    // CHECK: :[[@LINE-6]]:5: note: 'Ext->Remaining' decremented here
    Ext->CurrentVa += len;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A partial mapping: the branch that handles it runs the counter down, then
// flushes the counter.
VOID IfElsePartialBranchFlushesCounter(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG len = remaining;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  if (len < remaining) {
    remaining -= len;
    Ext->Remaining = remaining;
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va,
                          remaining, FALSE);
    // CHECK: :[[@LINE-1]]:27: warning: 'IoFlushAdapterBuffers' is passed 'remaining' as Length, which was decremented after 'IoMapTransfer' (line [[@LINE-4]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
    // CHECK: :[[@LINE-9]]:3: note: transfer mapped here by 'IoMapTransfer'
    // CHECK: :[[@LINE-10]]:66: note: length 'len' mapped here
    // CHECK: :[[@LINE-8]]:7: note: assuming 'len < remaining' is true
    // CHECK: :[[@LINE-8]]:5: note: 'remaining' decremented here
  } else {
    Ext->Remaining = 0;
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
                          FALSE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The error path runs the counter down and jumps to a cleanup flush that
// uses it; the success path flushes the mapped length.
NTSTATUS GotoFailFlushesCounter(PDEVICE_EXTENSION Ext, PIRP Irp) {
  NTSTATUS status = STATUS_SUCCESS;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG len = remaining;
  Ext->DmaAdapter->DmaOperations->MapTransfer(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    status = STATUS_IO_DEVICE_ERROR;
    remaining -= len;
    goto fail;
  }
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len, TRUE);
  Irp->IoStatus.Status = status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return status;
fail:
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, remaining, TRUE);
  // CHECK: :[[@LINE-1]]:55: warning: 'FlushAdapterBuffers' is passed 'remaining' as Length, which was decremented after 'MapTransfer' (line [[@LINE-11]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-17]]:35: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-17]]:56: note: length 'len' mapped here
  // CHECK: :[[@LINE-16]]:7: note: assuming 'READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR' is true
  // CHECK: :[[@LINE-15]]:5: note: 'remaining' decremented here
  // CHECK: :[[@LINE-15]]:5: note: jumping to 'fail'
  Irp->IoStatus.Status = status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return status;
}

// A switch on the device status: the success case runs the counter down and
// flushes it.
VOID SwitchCaseFlushesCounter(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG len = remaining;
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  switch (READ_REGISTER_ULONG(&Ext->Regs->Status)) {
  case DEVICE_DONE:
    remaining -= len;
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, remaining,
               FALSE);
    // CHECK: :[[@LINE-2]]:64: warning: 'Flush' is passed 'remaining' as Length, which was decremented after 'Map' (line [[@LINE-3]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
    // CHECK: :[[@LINE-8]]:8: note: transfer mapped here by 'Map'
    // CHECK: :[[@LINE-9]]:61: note: length 'len' mapped here
    // CHECK: :[[@LINE-7]]:3: note: taking 'case DEVICE_DONE'
    // CHECK: :[[@LINE-7]]:5: note: 'remaining' decremented here
    Irp->IoStatus.Status = STATUS_SUCCESS;
    break;
  default:
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len, FALSE);
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    break;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated branches: mapped and flushed under the same unchanged test, the
// counter run down in between.
VOID CorrelatedMapAndFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG len = remaining;
  BOOLEAN useDma = Ext->UseDma;
  if (useDma)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, TRUE);
  remaining -= len;
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (useDma)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va,
                          remaining, TRUE);
    // CHECK: :[[@LINE-1]]:27: warning: 'IoFlushAdapterBuffers' is passed 'remaining' as Length, which was decremented after 'IoMapTransfer' (line [[@LINE-5]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
    // CHECK: :[[@LINE-7]]:5: note: transfer mapped here by 'IoMapTransfer'
    // CHECK: :[[@LINE-8]]:68: note: length 'len' mapped here
    // CHECK: :[[@LINE-8]]:3: note: 'remaining' decremented here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The next piece: the extension counter, read as the previous routine left
// it, is requested whole, run down, and flushed.
VOID ExtensionRemainingReadAtEntry(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG len = Ext->Remaining;
  IoMapTransfer(Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase,
                Ext->CurrentVa, &len, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  Ext->Remaining -= len;
  IoFlushAdapterBuffers(Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase,
                        Ext->CurrentVa, Ext->Remaining, FALSE);
  // CHECK: :[[@LINE-1]]:41: warning: 'IoFlushAdapterBuffers' is passed 'Ext->Remaining' as Length, which was decremented after 'IoMapTransfer' (line [[@LINE-3]]); the flush needs the length of this transfer ('len') [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-8]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-8]]:34: note: length 'len' mapped here
  // CHECK: :[[@LINE-6]]:3: note: 'Ext->Remaining' decremented here
  Ext->CurrentVa += len;
  if (Ext->Remaining == 0)
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// The split loop flushes the length returned for each piece.
VOID SplitLoopFlushesMappedLength(PDMA_ADAPTER Adapter, PIRP Irp,
                                  PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  while (remaining) {
    ULONG len = remaining < MAX_TRANSFER ? remaining : MAX_TRANSFER;
    PUCHAR pieceVa = va;
    PHYSICAL_ADDRESS la = Adapter->DmaOperations->MapTransfer(
        Adapter, Mdl, MapRegisterBase, va, &len, FALSE);
    WRITE_REGISTER_ULONG(&Regs->Address, la.u.LowPart);
    WRITE_REGISTER_ULONG(&Regs->Length, len);
    WRITE_REGISTER_ULONG(&Regs->Control, 1);
    va += len;
    remaining -= len;
    while (!(READ_REGISTER_ULONG(&Regs->Status) & DEVICE_DONE))
      KeStallExecutionProcessor(10);
    Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase,
                                                pieceVa, len, FALSE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The split loop flushes each piece before running the counter down.
VOID SplitLoopFlushesBeforeDecrement(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  while (remaining) {
    ULONG len = remaining;
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, TRUE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
    KeStallExecutionProcessor(50);
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
                          TRUE);
    va += len;
    remaining -= len;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A scatter/gather loop flushes the initial total of the operation.
VOID ScatterGatherFlushesTotal(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PDMA_OPERATIONS ops = Ext->DmaAdapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR start = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR va = start;
  ULONG total = MmGetMdlByteCount(Mdl);
  ULONG remaining = total;
  while (remaining) {
    ULONG len = remaining;
    PHYSICAL_ADDRESS la = ops->MapTransfer(Ext->DmaAdapter, Mdl,
                                           Ext->MapRegisterBase, va, &len,
                                           FALSE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Address, la.u.LowPart);
    va += len;
    remaining -= len;
  }
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  (*ops->FlushAdapterBuffers)(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase,
                              start, total, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A scatter/gather loop flushes the sum of the mapped pieces.
VOID ScatterGatherFlushesSum(PDMA_ADAPTER Adapter, PIRP Irp,
                             PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR start = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR va = start;
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG mapped = 0;
  while (remaining) {
    ULONG len = remaining;
    PHYSICAL_ADDRESS la = Adapter->DmaOperations->MapTransfer(
        Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
    WRITE_REGISTER_ULONG(&Regs->Address, la.u.LowPart);
    va += len;
    remaining -= len;
    mapped += len;
  }
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  KeStallExecutionProcessor(50);
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase,
                                              start, mapped, TRUE);
  Irp->IoStatus.Information = mapped;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The requested length, saved before the map, is flushed (legacy names).
VOID FlushesRequestedLength(PDMA_ADAPTER Adapter, PIRP Irp,
                            PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID va = MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl);
  ULONG requested = len;
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, FALSE);
  KeStallExecutionProcessor(50);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, requested, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A copy of the returned length, taken after the map, is flushed; the
// counter is run down afterwards (typedef locals).
VOID FlushesCopyOfMappedLength(PDMA_ADAPTER Adapter, PIRP Irp,
                               PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMAP_TRANSFER map = Adapter->DmaOperations->MapTransfer;
  PFLUSH_ADAPTER_BUFFERS flush = Adapter->DmaOperations->FlushAdapterBuffers;
  PMDL Mdl = Irp->MdlAddress;
  PVOID va = MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG len = remaining;
  ULONG mappedLen;
  map(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  mappedLen = len;
  remaining -= len;
  WRITE_REGISTER_ULONG(&Regs->Length, mappedLen);
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  flush(Adapter, Mdl, MapRegisterBase, va, mappedLen, TRUE);
  Irp->IoStatus.Information = remaining;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A constant request flushed with the same constant.
VOID ConstantSectorFlushed(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID va = MmGetMdlVirtualAddress(Mdl);
  ULONG len = SECTOR_SIZE;
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, SECTOR_SIZE,
             FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// DpcForIsr-style: the length comes from an extension field this function
// never writes, so nothing is provable here.
VOID FieldNeverWritten(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG len = Ext->Remaining;
  IoMapTransfer(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                Ext->CurrentVa, &len, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                        Ext->CurrentVa, Ext->Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The extension counter is decremented only after the flush.
VOID ExtensionRemainingAfterFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG len;
  Ext->Mdl = Irp->MdlAddress;
  Ext->CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(Ext->Mdl);
  Ext->Remaining = MmGetMdlByteCount(Ext->Mdl);
  len = Ext->Remaining;
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Ext->Mdl,
                                              Ext->MapRegisterBase,
                                              Ext->CurrentVa, &len, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->CurrentVa, len,
      FALSE);
  Ext->Remaining -= len;
  Ext->CurrentVa += len;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated branches: the counter runs down only when the flush uses the
// mapped length.
VOID CorrelatedDecrementFlushesLength(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG len = remaining;
  BOOLEAN split = Ext->UseDma;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  if (split)
    remaining -= len;
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (split)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
                          FALSE);
  else
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va,
                          remaining, FALSE);
  Ext->Remaining = remaining;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The goto-cleanup path flushes the mapped length after the counter was run
// down.
NTSTATUS GotoCleanupFlushesLength(PDEVICE_EXTENSION Ext, PIRP Irp) {
  NTSTATUS status = STATUS_SUCCESS;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG len = remaining;
  Ext->DmaAdapter->DmaOperations->MapTransfer(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  remaining -= len;
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    status = STATUS_IO_DEVICE_ERROR;
    goto cleanup;
  }
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
cleanup:
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len, FALSE);
  Ext->Remaining = remaining;
  Irp->IoStatus.Status = status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return status;
}

// A helper in another file stores the operation's length through a pointer:
// after the call the counter is unknown here.
VOID GetOperationLength(PULONG Length);

VOID OpaqueHelperSetsLength(PDMA_ADAPTER Adapter, PIRP Irp,
                               PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID va = MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  ULONG len = remaining;
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  remaining -= len;
  GetOperationLength(&remaining);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, remaining, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
