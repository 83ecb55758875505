// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-order: FlushAdapterBuffers of a mapped transfer after its IRP was
// completed, its map registers or adapter channel freed, or its adapter put.
// The late flush is the one finding: no dma-missing-flush is reported at the
// earlier completion or release (--implicit-check-not enforces it).
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

// ---- must fire -------------------------------------------------------------

// The error path completes the IRP and falls through to the shared flush.
VOID ErrorPathCompletesBeforeFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PDMA_ADAPTER Adapter = Ext->DmaAdapter;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Mrb = Ext->MapRegisterBase;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  NTSTATUS Status = STATUS_SUCCESS;
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Mrb, Va, &Length, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    Status = STATUS_IO_DEVICE_ERROR;
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Mrb, Va, Length,
                                              FALSE);
  // CHECK-NOT: dma-missing-flush
  // CHECK: :[[@LINE-3]]:27: warning: 'FlushAdapterBuffers' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-5]]); flush before completing the IRP [dma-flush-order]
  // CHECK: :[[@LINE-12]]:27: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-11]]:7: note: assuming 'READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR' is true
  // CHECK: :[[@LINE-8]]:5: note: IRP completed here, before the flush
  Adapter->DmaOperations->FreeMapRegisters(Adapter, Mrb,
                                           Ext->NumberOfMapRegisters);
  if (NT_SUCCESS(Status)) {
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = Length;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
}

// Legacy HAL names: the map registers are freed, then flushed.
VOID LegacyFreeRegistersBeforeFlush(PDMA_ADAPTER Adapter, PIRP Irp,
                                    PVOID MapRegisterBase, ULONG Registers) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  KeStallExecutionProcessor(100);
  IoFreeMapRegisters(Adapter, MapRegisterBase, Registers);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoFlushAdapterBuffers' is called after 'IoFreeMapRegisters' frees the map registers (line [[@LINE-2]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :[[@LINE-5]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-4]]:3: note: released here, before the flush
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// System DMA, legacy names: the poll loop times out and frees the channel.
VOID PollTimeoutFreesChannel(PDMA_ADAPTER Adapter, PIRP Irp,
                             PVOID MapRegisterBase, TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  ULONG Spins = 0;
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, FALSE);
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  while (!(READ_REGISTER_ULONG(&Regs->Status) & DEVICE_DONE)) {
    if (++Spins == 1000) {
      IoFreeAdapterChannel(Adapter);
      break;
    }
    KeStallExecutionProcessor(10);
  }
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoFlushAdapterBuffers' is called after 'IoFreeAdapterChannel' frees the adapter channel (line [[@LINE-6]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :[[@LINE-11]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-10]]:10: note: assuming '!(READ_REGISTER_ULONG(&Regs->Status) & DEVICE_DONE)' is true
  // CHECK: :[[@LINE-10]]:9: note: assuming '++Spins == 1000' is true
  // CHECK: :[[@LINE-10]]:7: note: released here, before the flush
  if (Spins < 1000)
    IoFreeAdapterChannel(Adapter);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Cached PDMA_OPERATIONS: the error path frees the registers, jumps to flush.
NTSTATUS GotoAfterFree(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                       TEST_REGS *Regs, ULONG Registers) {
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  NTSTATUS Status = STATUS_SUCCESS;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ops->MapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR) {
    Status = STATUS_IO_DEVICE_ERROR;
    Ops->FreeMapRegisters(Adapter, MapRegisterBase, Registers);
    goto Done;
  }
  KeStallExecutionProcessor(10);
Done:
  (*Ops->FlushAdapterBuffers)(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:10: warning: 'FlushAdapterBuffers' is called after 'FreeMapRegisters' frees the map registers (line [[@LINE-6]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :[[@LINE-11]]:8: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-10]]:7: note: assuming 'READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR' is true
  // CHECK: :[[@LINE-9]]:10: note: released here, before the flush
  // CHECK: :[[@LINE-9]]:5: note: jumping to 'Done'
  if (NT_SUCCESS(Status))
    Ops->FreeMapRegisters(Adapter, MapRegisterBase, Registers);
  Irp->IoStatus.Status = Status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return Status;
}

// switch: the error case completes at once, the flush after it is late.
VOID SwitchCaseCompletes(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PDMA_OPERATIONS Ops = Ext->DmaAdapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  BOOLEAN Completed = FALSE;
  Ops->MapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                   FALSE);
  switch (READ_REGISTER_ULONG(&Ext->Regs->Status)) {
  case DEVICE_DONE:
    Irp->IoStatus.Status = STATUS_SUCCESS;
    break;
  case DEVICE_ERROR:
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    Completed = TRUE;
    break;
  default:
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    break;
  }
  (*Ops->FlushAdapterBuffers)(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                              Length, FALSE);
  // CHECK: :[[@LINE-2]]:10: warning: 'FlushAdapterBuffers' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-9]]); flush before completing the IRP [dma-flush-order]
  // CHECK: :[[@LINE-18]]:8: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-13]]:3: note: taking 'case DEVICE_ERROR'
  // CHECK: :[[@LINE-12]]:5: note: IRP completed here, before the flush
  if (!Completed)
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A switch whose error case completes and falls through into the flush.
VOID SwitchFallthroughCompletes(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  switch (READ_REGISTER_ULONG(&Ext->Regs->Status)) {
  case DEVICE_ERROR:
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    /* fall through */
  case DEVICE_DONE:
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
    // CHECK: :[[@LINE-1]]:10: warning: 'Flush' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-4]]); flush before completing the IRP [dma-flush-order]
    // CHECK: :[[@LINE-9]]:8: note: transfer mapped here by 'Map'
    // CHECK: :[[@LINE-8]]:3: note: taking 'case DEVICE_ERROR'
    // CHECK: :[[@LINE-7]]:5: note: IRP completed here, before the flush
    break;
  default:
    break;
  }
}

// Function-pointer typedef locals: the channel is freed before the flush.
VOID TypedefLocalsFreeChannel(PDMA_ADAPTER Adapter, PIRP Irp,
                              PVOID MapRegisterBase) {
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  PMAP_TRANSFER Map = Ops->MapTransfer;
  PFLUSH_ADAPTER_BUFFERS Flush = Ops->FlushAdapterBuffers;
  PFREE_ADAPTER_CHANNEL FreeChannel = Ops->FreeAdapterChannel;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Map(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  KeStallExecutionProcessor(10);
  FreeChannel(Adapter);
  Flush(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:3: warning: 'Flush' is called after 'FreeChannel' frees the adapter channel (line [[@LINE-2]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :[[@LINE-5]]:3: note: transfer mapped here by 'Map'
  // CHECK: :[[@LINE-4]]:3: note: released here, before the flush
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A PFREE_MAP_REGISTERS local frees, then the flush through Ext->Flush.
VOID TypedefFreeThenExtensionFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PFREE_MAP_REGISTERS FreeRegisters =
      Ext->DmaAdapter->DmaOperations->FreeMapRegisters;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  KeStallExecutionProcessor(10);
  FreeRegisters(Ext->DmaAdapter, Ext->MapRegisterBase,
                Ext->NumberOfMapRegisters);
  Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:8: warning: 'Flush' is called after 'FreeRegisters' frees the map registers (line [[@LINE-3]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :[[@LINE-6]]:8: note: transfer mapped here by 'Map'
  // CHECK: :[[@LINE-5]]:3: note: released here, before the flush
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Registers freed through a copy of MapRegisterBase (same value), Ext->Ops.
VOID FreeThroughCopyOfBase(PDEVICE_EXTENSION Ext, PIRP Irp,
                           PVOID MapRegisterBase) {
  PDMA_OPERATIONS Ops = Ext->Ops;
  PVOID Base = MapRegisterBase;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ops->MapTransfer(Ext->DmaAdapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  KeStallExecutionProcessor(10);
  Ops->FreeMapRegisters(Ext->DmaAdapter, Base, Ext->NumberOfMapRegisters);
  Ops->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, MapRegisterBase, Va, Length,
                           TRUE);
  // CHECK: :[[@LINE-2]]:8: warning: 'FlushAdapterBuffers' is called after 'FreeMapRegisters' frees the map registers (line [[@LINE-3]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :[[@LINE-6]]:8: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-5]]:8: note: released here, before the flush
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The adapter is put (PutDmaAdapter) before the flush through Ext->Flush.
VOID PutAdapterBeforeFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  KeStallExecutionProcessor(10);
  Ext->DmaAdapter->DmaOperations->PutDmaAdapter(Ext->DmaAdapter);
  Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, FALSE);
  // CHECK: :[[@LINE-1]]:8: warning: 'Flush' is called after 'PutDmaAdapter' releases the DMA adapter (line [[@LINE-2]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :[[@LINE-5]]:8: note: transfer mapped here by 'Map'
  // CHECK: :[[@LINE-4]]:35: note: released here, before the flush
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Split transfer: a piece's device error completes the IRP, then flushes.
VOID SplitLoopCompletesBeforeFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG Remaining = MmGetMdlByteCount(Mdl);
  while (Remaining > 0) {
    ULONG Length = Remaining > PAGE_SIZE ? PAGE_SIZE : Remaining;
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  FALSE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
    if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
      Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
      IoCompleteRequest(Irp, IO_NO_INCREMENT);
      IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                            Length, FALSE);
      // CHECK: :[[@LINE-2]]:7: warning: 'IoFlushAdapterBuffers' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-3]]); flush before completing the IRP [dma-flush-order]
      // CHECK: :[[@LINE-9]]:5: note: transfer mapped here by 'IoMapTransfer'
      // CHECK: :[[@LINE-7]]:9: note: assuming 'READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR' is true
      // CHECK: :[[@LINE-6]]:7: note: IRP completed here, before the flush
      return;
    }
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, FALSE);
    Va += Length;
    Remaining -= Length;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Split transfer (do/while): the last piece frees the registers, then flushes.
VOID SplitLoopFreesOnLastPiece(PDMA_ADAPTER Adapter, PIRP Irp, PVOID Mrb,
                               ULONG Registers) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG Remaining = MmGetMdlByteCount(Mdl);
  do {
    ULONG Length = Remaining > PAGE_SIZE ? PAGE_SIZE : Remaining;
    Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Mrb, Va, &Length, FALSE);
    KeStallExecutionProcessor(10);
    Remaining -= Length;
    if (Remaining == 0)
      Adapter->DmaOperations->FreeMapRegisters(Adapter, Mrb, Registers);
    Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Mrb, Va, Length,
                                                FALSE);
    // CHECK: :[[@LINE-2]]:29: warning: 'FlushAdapterBuffers' is called after 'FreeMapRegisters' frees the map registers (line [[@LINE-3]]); flush before releasing the map registers [dma-flush-order]
    // CHECK: :[[@LINE-8]]:29: note: transfer mapped here by 'MapTransfer'
    // CHECK: :[[@LINE-6]]:9: note: assuming 'Remaining == 0' is true
    // CHECK: :[[@LINE-6]]:31: note: released here, before the flush
    Va += Length;
  } while (Remaining > 0);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// AdapterControl that polls: the timeout path completes, then the flush.
IO_ALLOCATION_ACTION AdapterControlTimeout(PDEVICE_OBJECT DeviceObject,
                                           PIRP Irp, PVOID MapRegisterBase,
                                           PVOID Context) {
  PDEVICE_EXTENSION Ext = (PDEVICE_EXTENSION)Context;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  ULONG Spins;
  (void)DeviceObject;
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Mdl,
                                              MapRegisterBase, Va, &Length,
                                              TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  for (Spins = 0; Spins < 1000; Spins++) {
    if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_DONE)
      break;
    KeStallExecutionProcessor(10);
  }
  if (Spins == 1000) {
    Irp->IoStatus.Status = STATUS_IO_TIMEOUT;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-2]]:35: warning: 'FlushAdapterBuffers' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-4]]); flush before completing the IRP [dma-flush-order]
  // CHECK: :[[@LINE-16]]:35: note: transfer mapped here by 'MapTransfer'
  // CHECK-NOT: note: assuming 'Spins < 1000'
  // CHECK: :[[@LINE-9]]:7: note: assuming 'Spins == 1000' is true
  // CHECK: :[[@LINE-8]]:5: note: IRP completed here, before the flush
  if (Spins < 1000) {
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
  return DeallocateObject;
}

// DPC-style: maps the next piece, completes the IRP, only then flushes.
VOID DpcCompletesThenFlushes(PVOID Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp,
                             PVOID Context) {
  PDEVICE_EXTENSION Ext = (PDEVICE_EXTENSION)DeviceObject->DeviceExtension;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = Ext->CurrentVa;
  ULONG Length = Ext->Remaining;
  BOOLEAN WriteToDevice = Ext->WriteToDevice;
  (void)Dpc;
  (void)Context;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                WriteToDevice);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(100);
  Irp->IoStatus.Status = STATUS_SUCCESS;
  Irp->IoStatus.Information = Length;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        WriteToDevice);
  // CHECK: :[[@LINE-2]]:3: warning: 'IoFlushAdapterBuffers' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-3]]); flush before completing the IRP [dma-flush-order]
  // CHECK: :[[@LINE-10]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-5]]:3: note: IRP completed here, before the flush
}

// Correlated UseDma map/flush, but the cancel path completes in between.
VOID CorrelatedCancelCompletes(PDEVICE_EXTENSION Ext, PIRP Irp,
                               BOOLEAN Cancelled) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  BOOLEAN UseDma = Ext->UseDma;
  if (UseDma)
    Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  if (Cancelled) {
    Irp->IoStatus.Status = STATUS_CANCELLED;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
  if (UseDma)
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, FALSE);
  // CHECK: :[[@LINE-1]]:10: warning: 'Flush' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-4]]); flush before completing the IRP [dma-flush-order]
  // CHECK: :[[@LINE-8]]:10: note: transfer mapped here by 'Map'
  // CHECK: :[[@LINE-8]]:7: note: assuming 'Cancelled' is true
  // CHECK: :[[@LINE-7]]:5: note: IRP completed here, before the flush
  if (!Cancelled)
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// The full protocol with legacy names: map, flush, free, complete.
VOID CorrectOrderLegacy(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                        ULONG Registers) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  KeStallExecutionProcessor(100);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  IoFreeMapRegisters(Adapter, MapRegisterBase, Registers);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated UseDma: the PIO path completes, the DMA path flushes first.
VOID CorrelatedPioCompletes(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  BOOLEAN UseDma = Ext->UseDma;
  if (UseDma)
    Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  if (!UseDma)
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  if (UseDma) {
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, FALSE);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
}

// Correlated branches the other way round: the cancel path never mapped.
VOID CorrelatedCancelNeverMapped(PDEVICE_EXTENSION Ext, PIRP Irp,
                                 BOOLEAN Cancelled) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (!Cancelled)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  TRUE);
  if (Cancelled) {
    Irp->IoStatus.Status = STATUS_CANCELLED;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
  if (!Cancelled) {
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
    IoFreeMapRegisters(Ext->DmaAdapter, Ext->MapRegisterBase,
                       Ext->NumberOfMapRegisters);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
}

// An error path before any map completes and returns: nothing to flush.
VOID ErrorBeforeMap(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va;
  ULONG Length;
  if (Mdl == NULL) {
    Irp->IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  Va = MmGetMdlVirtualAddress(Mdl);
  Length = MmGetMdlByteCount(Mdl);
  Ops->MapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  (*Ops->FlushAdapterBuffers)(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  Ops->FreeAdapterChannel(Adapter);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Read/write adapters: freeing the write side does not end the read transfer.
VOID OtherAdapterRegistersFreed(PDMA_ADAPTER ReadAdapter,
                                PDMA_ADAPTER WriteAdapter, PIRP Irp,
                                PVOID ReadBase, PVOID WriteBase,
                                ULONG Registers) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  ReadAdapter->DmaOperations->MapTransfer(ReadAdapter, Mdl, ReadBase, Va,
                                          &Length, FALSE);
  WriteAdapter->DmaOperations->FreeMapRegisters(WriteAdapter, WriteBase,
                                                Registers);
  ReadAdapter->DmaOperations->FlushAdapterBuffers(ReadAdapter, Mdl, ReadBase,
                                                  Va, Length, FALSE);
  ReadAdapter->DmaOperations->FreeMapRegisters(ReadAdapter, ReadBase,
                                               Registers);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Completing the previous request (another IRP) while this one is in flight.
VOID PreviousIrpCompleted(PDEVICE_EXTENSION Ext, PIRP Irp, PIRP PreviousIrp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (PreviousIrp != NULL) {
    PreviousIrp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(PreviousIrp, IO_NO_INCREMENT);
  }
  KeStallExecutionProcessor(50);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A same-file helper flushes: free and complete after it are in order.
static VOID EndTransfer(PDEVICE_EXTENSION Ext, PMDL Mdl, PVOID Va,
                        ULONG Length) {
  Ext->Ops->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                                Length, FALSE);
}

VOID HelperFlushesFirst(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Ops->MapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                        &Length, FALSE);
  EndTransfer(Ext, Mdl, Va, Length);
  Ext->Ops->FreeMapRegisters(Ext->DmaAdapter, Ext->MapRegisterBase,
                             Ext->NumberOfMapRegisters);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Every case of the switch flushes before it completes.
VOID SwitchEveryCaseFlushesFirst(PDMA_ADAPTER Adapter, PIRP Irp,
                                 PVOID MapRegisterBase, TEST_REGS *Regs) {
  PFLUSH_ADAPTER_BUFFERS Flush = Adapter->DmaOperations->FlushAdapterBuffers;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  switch (READ_REGISTER_ULONG(&Regs->Status)) {
  case DEVICE_DONE:
    Flush(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    break;
  case DEVICE_ERROR:
    Flush(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    break;
  default:
    Flush(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
    Irp->IoStatus.Status = STATUS_IO_TIMEOUT;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    break;
  }
}

// goto: the early error skips to completion, the device error to the flush.
NTSTATUS GotoCleanupInOrder(PDEVICE_EXTENSION Ext, PIRP Irp) {
  NTSTATUS Status = STATUS_SUCCESS;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va;
  ULONG Length;
  if (Mdl == NULL) {
    Status = STATUS_INSUFFICIENT_RESOURCES;
    goto Complete;
  }
  Va = MmGetMdlVirtualAddress(Mdl);
  Length = MmGetMdlByteCount(Mdl);
  Ext->DmaAdapter->DmaOperations->MapTransfer(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    Status = STATUS_IO_DEVICE_ERROR;
    goto Flush;
  }
  KeStallExecutionProcessor(10);
Flush:
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, FALSE);
  Ext->DmaAdapter->DmaOperations->FreeMapRegisters(
      Ext->DmaAdapter, Ext->MapRegisterBase, Ext->NumberOfMapRegisters);
Complete:
  Irp->IoStatus.Status = Status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return Status;
}

// A split transfer flushes each piece, then frees the channel and completes.
VOID SplitLoopThenFreeChannel(PDMA_ADAPTER Adapter, PIRP Irp,
                              PVOID MapRegisterBase) {
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG Remaining = MmGetMdlByteCount(Mdl);
  while (Remaining > 0) {
    ULONG Length = Remaining > PAGE_SIZE ? PAGE_SIZE : Remaining;
    Ops->MapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
    KeStallExecutionProcessor(10);
    Ops->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
    Va += Length;
    Remaining -= Length;
  }
  Ops->FreeAdapterChannel(Adapter);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The error path returns early, but flushes, frees and completes in order.
VOID EarlyReturnInOrder(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
    Ext->Ops->FreeMapRegisters(Ext->DmaAdapter, Ext->MapRegisterBase,
                               Ext->NumberOfMapRegisters);
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
  Ext->Ops->FreeMapRegisters(Ext->DmaAdapter, Ext->MapRegisterBase,
                             Ext->NumberOfMapRegisters);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// An AdapterControl routine that polls, flushes and completes, in order.
IO_ALLOCATION_ACTION AdapterControlInOrder(PDEVICE_OBJECT DeviceObject,
                                           PIRP Irp, PVOID MapRegisterBase,
                                           PVOID Context) {
  PDEVICE_EXTENSION Ext = (PDEVICE_EXTENSION)Context;
  PDMA_OPERATIONS Ops = Ext->DmaAdapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  (void)DeviceObject;
  Ops->MapTransfer(Ext->DmaAdapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  while (!(READ_REGISTER_ULONG(&Ext->Regs->Status) &
           (DEVICE_DONE | DEVICE_ERROR)))
    KeStallExecutionProcessor(10);
  (*Ops->FlushAdapterBuffers)(Ext->DmaAdapter, Mdl, MapRegisterBase, Va,
                              Length, TRUE);
  Irp->IoStatus.Status =
      (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR)
          ? STATUS_IO_DEVICE_ERROR
          : STATUS_SUCCESS;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return DeallocateObject;
}

// DPC-style: flushes what AdapterControl mapped (fields), frees, completes.
VOID DpcFlushFreeComplete(PVOID Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp,
                          PVOID Context) {
  PDEVICE_EXTENSION Ext = (PDEVICE_EXTENSION)DeviceObject->DeviceExtension;
  (void)Dpc;
  (void)Context;
  Ext->Flush(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->StartVa,
             Ext->Length, Ext->WriteToDevice);
  Ext->Ops->FreeMapRegisters(Ext->DmaAdapter, Ext->MapRegisterBase,
                             Ext->NumberOfMapRegisters);
  Irp->IoStatus.Status = STATUS_SUCCESS;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
