// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-va-mismatch: the CurrentVa given to the flush is provably not the
// initial CurrentVa given to MapTransfer for the operation (the cursor was
// advanced after the map).
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

#define MAX_TRANSFER (4 * PAGE_SIZE)

// ---- must fire -------------------------------------------------------------

// A polled split transfer loop advances the cursor before flushing the piece.
VOID SplitLoopAdvancesBeforeFlush(PDMA_ADAPTER Adapter, PIRP Irp,
                                  PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  while (remaining) {
    ULONG len = remaining < MAX_TRANSFER ? remaining : MAX_TRANSFER;
    PHYSICAL_ADDRESS la = Adapter->DmaOperations->MapTransfer(
        Adapter, Mdl, MapRegisterBase, va, &len, FALSE);
    WRITE_REGISTER_ULONG(&Regs->Address, la.u.LowPart);
    WRITE_REGISTER_ULONG(&Regs->Length, len);
    WRITE_REGISTER_ULONG(&Regs->Control, 1);
    while (!(READ_REGISTER_ULONG(&Regs->Status) & DEVICE_DONE))
      KeStallExecutionProcessor(10);
    va += len;
    remaining -= len;
    Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase,
                                                va, len, FALSE);
    // CHECK: :[[@LINE-1]]:49: warning: 'FlushAdapterBuffers' is passed 'va', which was advanced after 'MapTransfer' (line [[@LINE-4]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line [[@LINE-11]] ('va') [dma-flush-va-mismatch]
    // CHECK: :[[@LINE-12]]:51: note: transfer mapped here by 'MapTransfer'
    // CHECK: :[[@LINE-12]]:40: note: initial CurrentVa 'va' mapped here
    // CHECK: :[[@LINE-9]]:12: note: assuming '!(READ_REGISTER_ULONG(&Regs->Status) & DEVICE_DONE)' is false
    // CHECK: :[[@LINE-8]]:5: note: 'va' advanced here
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Legacy names, one operation: the start is still held in 'startVa'.
VOID LegacyAdvanceNamesStart(PDMA_ADAPTER Adapter, PIRP Irp,
                             PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR startVa = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR va = startVa;
  ULONG len = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  va += len;
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  KeStallExecutionProcessor(50);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // CHECK: :[[@LINE-1]]:56: warning: 'IoFlushAdapterBuffers' is passed 'va', which was advanced after 'IoMapTransfer' (line [[@LINE-4]]); the flush needs the initial CurrentVa ('startVa') [dma-flush-va-mismatch]
  // CHECK: :[[@LINE-6]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-7]]:48: note: initial CurrentVa 'va' mapped here
  // CHECK: :[[@LINE-7]]:3: note: 'va' advanced here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A PVOID cursor advanced through a cast, via a cached operations pointer.
VOID CachedOpsCastAdvance(PDMA_ADAPTER Adapter, PIRP Irp,
                          PVOID MapRegisterBase, TEST_REGS *Regs) {
  PDMA_OPERATIONS ops = Adapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID va = MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl);
  ops->MapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, FALSE);
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  va = (PUCHAR)va + len;
  KeStallExecutionProcessor(50);
  ops->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, FALSE);
  // CHECK: :[[@LINE-1]]:59: warning: 'FlushAdapterBuffers' is passed 'va', which was advanced after 'MapTransfer' (line [[@LINE-3]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line [[@LINE-5]] ('va') [dma-flush-va-mismatch]
  // CHECK: :[[@LINE-6]]:8: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-7]]:51: note: initial CurrentVa 'va' mapped here
  // CHECK: :[[@LINE-6]]:3: note: 'va' advanced here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A one-byte command transfer through function-pointer typedef locals; the
// cursor is bumped with ++ before the flush.
VOID TypedefPointersIncrement(PDMA_ADAPTER Adapter, PIRP Irp,
                              PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMAP_TRANSFER map = Adapter->DmaOperations->MapTransfer;
  PFLUSH_ADAPTER_BUFFERS flush = Adapter->DmaOperations->FlushAdapterBuffers;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG len = 1;
  map(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  va++;
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  flush(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  // CHECK: :[[@LINE-1]]:40: warning: 'flush' is passed 'va', which was advanced after 'map' (line [[@LINE-3]]); the flush needs the initial CurrentVa given to 'map' at line [[@LINE-4]] ('va') [dma-flush-va-mismatch]
  // CHECK: :[[@LINE-5]]:3: note: transfer mapped here by 'map'
  // CHECK: :[[@LINE-6]]:38: note: initial CurrentVa 'va' mapped here
  // CHECK: :[[@LINE-6]]:3: note: 'va' advanced here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The cursor lives in the device extension, set, mapped and advanced here.
VOID ExtensionCursorAdvanced(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PDMA_OPERATIONS ops = Ext->DmaAdapter->DmaOperations;
  ULONG len;
  Ext->Mdl = Irp->MdlAddress;
  Ext->CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(Ext->Mdl);
  Ext->Remaining = MmGetMdlByteCount(Ext->Mdl);
  len = Ext->Remaining;
  (*ops->MapTransfer)(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                      Ext->CurrentVa, &len, FALSE);
  Ext->CurrentVa += len;
  Ext->Remaining -= len;
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  (*ops->FlushAdapterBuffers)(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                              Ext->CurrentVa, len, FALSE);
  // CHECK: :[[@LINE-1]]:31: warning: 'FlushAdapterBuffers' is passed 'Ext->CurrentVa', which was advanced after 'MapTransfer' (line [[@LINE-5]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line [[@LINE-7]] ('Ext->CurrentVa') [dma-flush-va-mismatch]
  // CHECK: :[[@LINE-8]]:10: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-8]]:23: note: initial CurrentVa 'Ext->CurrentVa' mapped here
  // CHECK: :[[@LINE-8]]:3: note: 'Ext->CurrentVa' advanced here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A scatter/gather loop maps one operation piece by piece, then flushes the
// cursor instead of the start.
VOID ScatterGatherFlushesCursor(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG total = MmGetMdlByteCount(Mdl);
  ULONG remaining = total;
  while (remaining) {
    ULONG len = remaining;
    PHYSICAL_ADDRESS la = Ext->DmaAdapter->DmaOperations->MapTransfer(
        Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Address, la.u.LowPart);
    WRITE_REGISTER_ULONG(&Ext->Regs->Length, len);
    va += len;
    remaining -= len;
  }
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, total, FALSE);
  // CHECK: :[[@LINE-1]]:51: warning: 'FlushAdapterBuffers' is passed 'va', which was advanced after 'MapTransfer' (line [[@LINE-7]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line [[@LINE-11]] ('va') [dma-flush-va-mismatch]
  // CHECK: :[[@LINE-12]]:59: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-12]]:53: note: initial CurrentVa 'va' mapped here
  // CHECK: :[[@LINE-10]]:5: note: 'va' advanced here
  // CHECK: :[[@LINE-17]]:10: note: assuming 'remaining' is false
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A partial mapping: the branch that handles it advances the cursor, then
// flushes with it.
VOID IfElsePartialBranchFlushesCursor(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl);
  ULONG requested = len;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  if (len < requested) {
    va += len;
    Ext->Remaining = requested - len;
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
                          TRUE);
    // CHECK: :[[@LINE-2]]:71: warning: 'IoFlushAdapterBuffers' is passed 'va', which was advanced after 'IoMapTransfer' (line [[@LINE-4]]); the flush needs the initial CurrentVa given to 'IoMapTransfer' at line [[@LINE-8]] ('va') [dma-flush-va-mismatch]
    // CHECK: :[[@LINE-9]]:3: note: transfer mapped here by 'IoMapTransfer'
    // CHECK: :[[@LINE-10]]:61: note: initial CurrentVa 'va' mapped here
    // CHECK: :[[@LINE-8]]:7: note: assuming 'len < requested' is true
    // CHECK: :[[@LINE-8]]:5: note: 'va' advanced here
  } else {
    Ext->Remaining = 0;
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
                          TRUE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The error path advances the cursor and jumps to a cleanup flush that
// uses it; the success path flushes the saved start.
NTSTATUS GotoFailFlushesCursor(PDEVICE_EXTENSION Ext, PIRP Irp) {
  NTSTATUS status = STATUS_SUCCESS;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR startVa = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR va = startVa;
  ULONG len = MmGetMdlByteCount(Mdl);
  Ext->DmaAdapter->DmaOperations->MapTransfer(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    status = STATUS_IO_DEVICE_ERROR;
    va += len;
    goto fail;
  }
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, startVa, len, FALSE);
  Irp->IoStatus.Status = status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return status;
fail:
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len, FALSE);
  // CHECK: :[[@LINE-1]]:51: warning: 'FlushAdapterBuffers' is passed 'va', which was advanced after 'MapTransfer' (line [[@LINE-11]]); the flush needs the initial CurrentVa ('startVa') [dma-flush-va-mismatch]
  // CHECK: :[[@LINE-17]]:35: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-17]]:51: note: initial CurrentVa 'va' mapped here
  // CHECK: :[[@LINE-16]]:7: note: assuming 'READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR' is true
  // CHECK: :[[@LINE-15]]:5: note: 'va' advanced here
  // CHECK: :[[@LINE-15]]:5: note: jumping to 'fail'
  Irp->IoStatus.Status = status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return status;
}

// A switch on the device status: the success case moves the cursor past the
// transferred bytes before its flush.
VOID SwitchCaseAdvancesThenFlushes(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl);
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  switch (READ_REGISTER_ULONG(&Ext->Regs->Status)) {
  case DEVICE_DONE:
    va += len;
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len, TRUE);
    // CHECK: :[[@LINE-1]]:60: warning: 'Flush' is passed 'va', which was advanced after 'Map' (line [[@LINE-2]]); the flush needs the initial CurrentVa given to 'Map' at line [[@LINE-6]] ('va') [dma-flush-va-mismatch]
    // CHECK: :[[@LINE-7]]:8: note: transfer mapped here by 'Map'
    // CHECK: :[[@LINE-8]]:56: note: initial CurrentVa 'va' mapped here
    // CHECK: :[[@LINE-6]]:3: note: taking 'case DEVICE_DONE'
    // CHECK: :[[@LINE-6]]:5: note: 'va' advanced here
    Irp->IoStatus.Status = STATUS_SUCCESS;
    break;
  default:
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len, TRUE);
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    break;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated branches: mapped and flushed under the same unchanged test, the
// cursor advanced in between.
VOID CorrelatedMapAndFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl);
  BOOLEAN useDma = Ext->UseDma;
  if (useDma)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  va += len;
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (useDma)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
                          FALSE);
    // CHECK: :[[@LINE-2]]:71: warning: 'IoFlushAdapterBuffers' is passed 'va', which was advanced after 'IoMapTransfer' (line [[@LINE-5]]); the flush needs the initial CurrentVa given to 'IoMapTransfer' at line [[@LINE-6]] ('va') [dma-flush-va-mismatch]
    // CHECK: :[[@LINE-7]]:5: note: transfer mapped here by 'IoMapTransfer'
    // CHECK: :[[@LINE-8]]:63: note: initial CurrentVa 'va' mapped here
    // CHECK: :[[@LINE-8]]:3: note: 'va' advanced here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The extension cursor advanced in a split loop before each flush.
VOID ExtensionCursorLoop(PDEVICE_EXTENSION Ext, PIRP Irp) {
  Ext->Mdl = Irp->MdlAddress;
  Ext->CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(Ext->Mdl);
  Ext->Remaining = MmGetMdlByteCount(Ext->Mdl);
  while (Ext->Remaining) {
    ULONG len = Ext->Remaining < PAGE_SIZE ? Ext->Remaining : PAGE_SIZE;
    IoMapTransfer(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                  Ext->CurrentVa, &len, TRUE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
    KeStallExecutionProcessor(50);
    Ext->CurrentVa += len;
    Ext->Remaining -= len;
    IoFlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                          Ext->CurrentVa, len, TRUE);
    // CHECK: :[[@LINE-1]]:27: warning: 'IoFlushAdapterBuffers' is passed 'Ext->CurrentVa', which was advanced after 'IoMapTransfer' (line [[@LINE-4]]); the flush needs the initial CurrentVa given to 'IoMapTransfer' at line [[@LINE-8]] ('Ext->CurrentVa') [dma-flush-va-mismatch]
    // CHECK: :[[@LINE-9]]:5: note: transfer mapped here by 'IoMapTransfer'
    // CHECK: :[[@LINE-9]]:19: note: initial CurrentVa 'Ext->CurrentVa' mapped here
    // CHECK: :[[@LINE-7]]:5: note: 'Ext->CurrentVa' advanced here
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The next piece: the extension cursor, read as the previous routine left
// it, is mapped and then advanced before the flush.
VOID ExtensionCursorReadAtEntry(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG len = Ext->Remaining < PAGE_SIZE ? Ext->Remaining : PAGE_SIZE;
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Irp->MdlAddress,
                                              Ext->MapRegisterBase,
                                              Ext->CurrentVa, &len, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  Ext->CurrentVa += len;
  Ext->Remaining -= len;
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase, Ext->CurrentVa,
      len, TRUE);
  // CHECK: :[[@LINE-2]]:63: warning: 'FlushAdapterBuffers' is passed 'Ext->CurrentVa', which was advanced after 'MapTransfer' (line [[@LINE-5]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line [[@LINE-10]] ('Ext->CurrentVa') [dma-flush-va-mismatch]
  // CHECK: :[[@LINE-11]]:35: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-10]]:47: note: initial CurrentVa 'Ext->CurrentVa' mapped here
  // CHECK: :[[@LINE-8]]:3: note: 'Ext->CurrentVa' advanced here
  if (Ext->Remaining == 0)
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// The split loop keeps the operation's start in a copy and flushes that.
VOID SplitLoopFlushesCopy(PDMA_ADAPTER Adapter, PIRP Irp,
                          PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  while (remaining) {
    ULONG len = remaining < MAX_TRANSFER ? remaining : MAX_TRANSFER;
    PUCHAR start = va;
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
                                                start, len, FALSE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The split loop flushes each piece before advancing the cursor (legacy names).
VOID SplitLoopFlushesBeforeAdvance(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG remaining = MmGetMdlByteCount(Mdl);
  while (remaining) {
    ULONG len = remaining < PAGE_SIZE ? remaining : PAGE_SIZE;
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

// A scatter/gather loop maps with the advancing cursor and flushes once with
// the initial VA.
VOID ScatterGatherFlushesStart(PDEVICE_EXTENSION Ext, PIRP Irp) {
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

// An offset applied before the map: the flush gets what the map got.
VOID AdvancedBeforeMap(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                       ULONG Offset) {
  PMAP_TRANSFER map = Adapter->DmaOperations->MapTransfer;
  PFLUSH_ADAPTER_BUFFERS flush = Adapter->DmaOperations->FlushAdapterBuffers;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl) - Offset;
  va += Offset;
  map(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  flush(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A fresh computation of the same address is not provably different.
VOID RecomputedFromMdl(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                       ULONG Offset) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR base = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR va = base + Offset;
  PUCHAR flushVa;
  ULONG len = PAGE_SIZE;
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, FALSE);
  flushVa = base + Offset;
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, flushVa, len, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// DpcForIsr-style: the VA comes from extension fields this function never
// writes, so nothing is provable here.
VOID FieldsNeverWritten(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG len = Ext->Length;
  IoMapTransfer(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                Ext->CurrentVa, &len, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                        Ext->StartVa, len, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The extension cursor is advanced only after the flush.
VOID ExtensionCursorAdvancedAfterFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
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
  Ext->CurrentVa += len;
  Ext->Remaining -= len;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated branches: the cursor moves only when the flush uses the copy.
VOID CorrelatedAdvanceFlushesCopy(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR start = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR va = start;
  ULONG len = MmGetMdlByteCount(Mdl);
  BOOLEAN split = Ext->UseDma;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  if (split)
    va += len;
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (split)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, start,
                          len, FALSE);
  else
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, len,
                          FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The cursor is advanced right after the map; both the error path (goto) and
// the normal path reach a cleanup flush of the saved start.
NTSTATUS GotoCleanupFlushesStart(PDEVICE_EXTENSION Ext, PIRP Irp) {
  NTSTATUS status = STATUS_SUCCESS;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR startVa = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  PUCHAR va = startVa;
  ULONG len = MmGetMdlByteCount(Mdl);
  Ext->DmaAdapter->DmaOperations->MapTransfer(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, va, &len, FALSE);
  va += len;
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    status = STATUS_IO_DEVICE_ERROR;
    goto cleanup;
  }
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
cleanup:
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, startVa, len, FALSE);
  Irp->IoStatus.Status = status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return status;
}

// A helper in another file rewinds the cursor through a pointer: after the
// call va is unknown here.
VOID RewindToOperationStart(PUCHAR *Va);

VOID OpaqueHelperRewindsVa(PDMA_ADAPTER Adapter, PIRP Irp,
                          PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG len = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, va, &len, TRUE);
  va += len;
  RewindToOperationStart(&va);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, va, len, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- an offset into the buffer (provable in one function) ------------------

// Fires: mapped at an offset into the buffer, flushed at its start.
VOID MappedAtOffsetFlushedAtStart(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va + 0x200,
                &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                        Length, TRUE);
  // CHECK: :[[@LINE-2]]:69: warning: 'IoFlushAdapterBuffers' is passed 'Va', which is not the CurrentVa mapped at line [[@LINE-4]]; the flush needs the initial CurrentVa given to 'IoMapTransfer' at line [[@LINE-4]] ('Va + 0x200') [dma-flush-va-mismatch]
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// Fires: the offset is not 0 on this path.
VOID OffsetKnownNonZero(PDEVICE_EXTENSION Ext, PIRP Irp, ULONG Offset) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  if (Offset == 0)
    return;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va + Offset,
                &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                        Length, TRUE);
  // CHECK: :[[@LINE-2]]:69: warning: 'IoFlushAdapterBuffers' is passed 'Va', which is not the CurrentVa mapped at line [[@LINE-4]]; the flush needs the initial CurrentVa given to 'IoMapTransfer' at line [[@LINE-4]] ('Va + Offset') [dma-flush-va-mismatch]
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// Silent: an offset that may be 0 (the flush is right when it is).
VOID OffsetMaybeZero(PDEVICE_EXTENSION Ext, PIRP Irp, ULONG Offset) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va + Offset,
                &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                        Length, TRUE);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// Silent: the offset is 0 (the first piece of a loop that maps at offsets).
VOID OffsetZero(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000, Offset = 0;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va + Offset,
                &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                        Length, TRUE);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// Silent: map and flush at the same offset.
VOID SameOffset(PDEVICE_EXTENSION Ext, PIRP Irp, ULONG Offset) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va + Offset,
                &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase,
                        Va + Offset, Length, TRUE);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}
