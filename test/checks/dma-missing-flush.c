// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-missing-flush: a mapped transfer reaches IRP completion or the release
// of its map registers / channel / adapter with no flush on that path.
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

// ---- must fire -------------------------------------------------------------

// The error path completes the IRP without flushing.
VOID ErrorPathCompletes(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                        TEST_REGS *Regs) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, MapRegisterBase, Va,
                                      &Length, FALSE);
  if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR) {
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'MapTransfer' at line [[@LINE-5]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
    // CHECK: :[[@LINE-6]]:27: note: transfer mapped here by 'MapTransfer'
    // CHECK: :[[@LINE-5]]:7: note: assuming 'READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR' is true
    return;
  }
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase,
                                              Va, Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Map registers freed before any flush (legacy HAL names), reported at the
// free, once, not again at the completion.
VOID FreeBeforeFlushLegacy(PDMA_ADAPTER Adapter, PIRP Irp,
                           PVOID MapRegisterBase, ULONG Registers) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoFreeMapRegisters(Adapter, MapRegisterBase, Registers);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoFreeMapRegisters' frees the map registers while the transfer mapped by 'IoMapTransfer' at line [[@LINE-2]] has not been flushed
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A goto-cleanup path that skips the flush.
NTSTATUS GotoCleanupSkipsFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  NTSTATUS Status = STATUS_SUCCESS;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Mdl,
                                              Ext->MapRegisterBase, Va,
                                              &Length, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    Status = STATUS_IO_DEVICE_ERROR;
    goto Cleanup;
  }
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
Cleanup:
  Ext->DmaAdapter->DmaOperations->FreeMapRegisters(
      Ext->DmaAdapter, Ext->MapRegisterBase, Ext->NumberOfMapRegisters);
  // CHECK: :[[@LINE-2]]:35: warning: 'FreeMapRegisters' frees the map registers while the transfer mapped by 'MapTransfer' at line [[@LINE-13]] has not been flushed
  // CHECK: note: transfer mapped here by 'MapTransfer'
  // CHECK: note: assuming 'READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR' is true
  // CHECK: note: jumping to 'Cleanup'
  Irp->IoStatus.Status = Status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return Status;
}

// Through a cached operations pointer and a function-pointer typedef.
VOID CachedPointers(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  PMAP_TRANSFER Map = Ops->MapTransfer;
  PFREE_ADAPTER_CHANNEL Free = Ops->FreeAdapterChannel;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Map(Adapter, Mdl, MapRegisterBase, Va, &Length, FALSE);
  Free(Adapter);
  // CHECK: :[[@LINE-1]]:3: warning: 'Free' frees the adapter channel while the transfer mapped by 'Map' at line [[@LINE-2]] has not been flushed
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A switch on the device status: one case forgets the flush.
VOID SwitchCaseForgets(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  (*Ext->Ops->MapTransfer)(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                           &Length, TRUE);
  switch (READ_REGISTER_ULONG(&Ext->Regs->Status)) {
  case DEVICE_DONE:
    Ext->Ops->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase,
                                  Va, Length, TRUE);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    break;
  case DEVICE_ERROR:
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    break;
  default:
    Ext->Ops->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase,
                                  Va, Length, TRUE);
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    break;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'MapTransfer' at line [[@LINE-18]] has not been flushed
  // CHECK: note: taking 'case DEVICE_ERROR'
}

// The flush pointer kept in the device extension is the only flush, and the
// timeout path never reaches it.
VOID TimeoutPath(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG Spins;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  for (Spins = 0; Spins < 1000; Spins++) {
    if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_DONE)
      break;
    KeStallExecutionProcessor(10);
  }
  if (Spins == 1000) {
    Irp->IoStatus.Status = STATUS_IO_TIMEOUT;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'Map' at line [[@LINE-9]] has not been flushed
    return;
  }
  Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// The full protocol: map, flush, free, complete.
VOID CorrectOrder(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                  ULONG Registers) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, MapRegisterBase, Va,
                                      &Length, TRUE);
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase,
                                              Va, Length, TRUE);
  Adapter->DmaOperations->FreeMapRegisters(Adapter, MapRegisterBase,
                                           Registers);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// An error path taken before anything was mapped owes no flush.
VOID ErrorBeforeMap(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
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
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, FALSE);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated branches: mapped only when UseDma, flushed under the same test.
VOID CorrelatedBranches(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  BOOLEAN UseDma = Ext->UseDma;
  if (UseDma)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  if (UseDma)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated through a status code and NT_SUCCESS.
NTSTATUS CorrelatedStatus(PDEVICE_EXTENSION Ext, PIRP Irp, NTSTATUS Status) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (NT_SUCCESS(Status))
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  FALSE);
  if (!NT_SUCCESS(Status)) {
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
  }
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return STATUS_SUCCESS;
}

// A same-file helper flushes: the call counts, nothing is reported.
static VOID EndTransfer(PDEVICE_EXTENSION Ext, PMDL Mdl, PVOID Va,
                        ULONG Length) {
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
}

VOID HelperFlushes(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  EndTransfer(Ext, Mdl, Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// AdapterControl maps and returns: the DPC flushes later (another routine),
// so nothing is provable here.
IO_ALLOCATION_ACTION MapsAndReturns(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                    PVOID MapRegisterBase, PVOID Context) {
  PDEVICE_EXTENSION Ext = (PDEVICE_EXTENSION)Context;
  (void)DeviceObject;
  Ext->Mdl = Irp->MdlAddress;
  Ext->StartVa = (PUCHAR)MmGetMdlVirtualAddress(Ext->Mdl);
  Ext->Length = MmGetMdlByteCount(Ext->Mdl);
  Ext->MapRegisterBase = MapRegisterBase;
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Ext->Mdl,
                                              MapRegisterBase, Ext->StartVa,
                                              &Ext->Length, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  return DeallocateObjectKeepRegisters;
}

// A loop that maps and flushes each piece (a split transfer) before the IRP
// completes.
VOID SplitLoopFlushesEachPiece(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG Remaining = MmGetMdlByteCount(Mdl);
  while (Remaining > 0) {
    ULONG Length = Remaining > PAGE_SIZE ? PAGE_SIZE : Remaining;
    Ext->DmaAdapter->DmaOperations->MapTransfer(
        Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
    Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
        Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, FALSE);
    Va += Length;
    Remaining -= Length;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
