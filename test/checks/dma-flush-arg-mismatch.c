// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-arg-mismatch: the Mdl, MapRegisterBase, adapter or WriteToDevice
// given to FlushAdapterBuffers provably differs from the one given to
// MapTransfer for the same transfer (two different constants, x against !x, a
// pointer advanced after the map).
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

#define XX_OP_READ 1
#define XX_OP_WRITE 2

// ---- must fire -------------------------------------------------------------

// A read routine with the write routine's flush: FALSE mapped, TRUE flushed.
VOID ReadFlushedAsWrite(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PDMA_ADAPTER Adapter = Ext->DmaAdapter;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Mrb = Ext->MapRegisterBase;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Mrb, Va, &Length, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(10);
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Mrb, Va, Length,
                                              TRUE);
  // CHECK: :[[@LINE-1]]:47: warning: 'FlushAdapterBuffers' is passed WriteToDevice 'TRUE', but 'MapTransfer' at line [[@LINE-5]] mapped the transfer with 'FALSE' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-6]]:27: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-7]]:71: note: WriteToDevice 'FALSE' given to the map here
  Adapter->DmaOperations->FreeMapRegisters(Adapter, Mrb,
                                           Ext->NumberOfMapRegisters);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// System DMA with legacy names: mapped as a write, flushed as a read.
VOID LegacyWriteFlushedAsRead(PDMA_ADAPTER Adapter, PIRP Irp,
                              PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  KeStallExecutionProcessor(10);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  // CHECK: :[[@LINE-1]]:68: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'FALSE', but 'IoMapTransfer' at line [[@LINE-3]] mapped the transfer with 'TRUE' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-4]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-5]]:61: note: WriteToDevice 'TRUE' given to the map here
  IoFreeAdapterChannel(Adapter);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Cached PDMA_OPERATIONS, (*Ops->FlushAdapterBuffers) negates the direction.
VOID NegatedDirection(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                      BOOLEAN WriteToDevice) {
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ops->MapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, WriteToDevice);
  KeStallExecutionProcessor(10);
  (*Ops->FlushAdapterBuffers)(Adapter, Mdl, MapRegisterBase, Va, Length,
                              !WriteToDevice);
  // CHECK: :[[@LINE-1]]:31: warning: 'FlushAdapterBuffers' is passed WriteToDevice '!WriteToDevice', but 'MapTransfer' at line [[@LINE-4]] mapped the transfer with 'WriteToDevice' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-5]]:8: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-6]]:64: note: WriteToDevice 'WriteToDevice' given to the map here
  Ops->FreeMapRegisters(Adapter, MapRegisterBase, 1);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Mapped with a copy of the direction, flushed with the negated original.
VOID NegatedOriginalOfCopy(PDEVICE_EXTENSION Ext, PIRP Irp,
                           BOOLEAN WriteToDevice) {
  BOOLEAN ToDevice = WriteToDevice;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                ToDevice);
  KeStallExecutionProcessor(10);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        !WriteToDevice);
  // CHECK: :[[@LINE-1]]:25: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice '!WriteToDevice', but 'IoMapTransfer' at line [[@LINE-5]] mapped the transfer with 'ToDevice' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-6]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-6]]:17: note: WriteToDevice 'ToDevice' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// DPC-style: direction read from the extension, the flush negates it.
VOID DpcNegatesDirection(PVOID Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp,
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
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        !WriteToDevice);
  // CHECK: :[[@LINE-1]]:25: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice '!WriteToDevice', but 'IoMapTransfer' at line [[@LINE-6]] mapped the transfer with 'WriteToDevice' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-7]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-7]]:17: note: WriteToDevice 'WriteToDevice' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A direction local set to FALSE for the map; the flush says TRUE.
VOID LocalDirectionConstant(PDEVICE_EXTENSION Ext, PIRP Irp) {
  BOOLEAN ToDevice = FALSE;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                ToDevice);
  KeStallExecutionProcessor(10);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
  // CHECK: :[[@LINE-1]]:25: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'TRUE', but 'IoMapTransfer' at line [[@LINE-5]] mapped the transfer with 'ToDevice' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-6]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-6]]:17: note: WriteToDevice 'ToDevice' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The direction variable is flipped after the map, then used for the flush.
VOID DirectionFlippedAfterMap(PDEVICE_EXTENSION Ext, PIRP Irp,
                              BOOLEAN WriteToDevice) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                WriteToDevice);
  WriteToDevice = !WriteToDevice;
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        WriteToDevice);
  // CHECK: :[[@LINE-1]]:25: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'WriteToDevice', which changed after 'IoMapTransfer' at line [[@LINE-5]] mapped the transfer with it [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-6]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-6]]:17: note: WriteToDevice 'WriteToDevice' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Typedef locals, switch on the operation: read maps FALSE, flush says TRUE.
VOID SwitchOnOperation(PDEVICE_EXTENSION Ext, PIRP Irp, ULONG Operation) {
  PMAP_TRANSFER Map = Ext->DmaAdapter->DmaOperations->MapTransfer;
  PFLUSH_ADAPTER_BUFFERS Flush =
      Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  switch (Operation) {
  case XX_OP_READ:
    Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
    break;
  case XX_OP_WRITE:
    Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
    break;
  default:
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  KeStallExecutionProcessor(10);
  Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:65: warning: 'Flush' is passed WriteToDevice 'TRUE', but 'Map' at line [[@LINE-12]] mapped the transfer with 'FALSE' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-13]]:5: note: transfer mapped here by 'Map'
  // CHECK: :[[@LINE-14]]:66: note: WriteToDevice 'FALSE' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A split transfer: every piece is mapped as a read and flushed as a write.
VOID SplitLoopWrongDirection(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG Remaining = MmGetMdlByteCount(Mdl);
  while (Remaining > 0) {
    ULONG Length = Remaining > PAGE_SIZE ? PAGE_SIZE : Remaining;
    Ext->DmaAdapter->DmaOperations->MapTransfer(
        Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
    WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
    Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
        Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
    // CHECK: :[[@LINE-1]]:65: warning: 'FlushAdapterBuffers' is passed WriteToDevice 'TRUE', but 'MapTransfer' at line [[@LINE-5]] mapped the transfer with 'FALSE' [dma-flush-arg-mismatch]
    // CHECK: :[[@LINE-6]]:37: note: transfer mapped here by 'MapTransfer'
    // CHECK: :[[@LINE-6]]:66: note: WriteToDevice 'FALSE' given to the map here
    Va += Length;
    Remaining -= Length;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated UseDma through Ext->Map/Ext->Flush, but different directions.
VOID CorrelatedWrongDirection(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  BOOLEAN UseDma = Ext->UseDma;
  if (UseDma)
    Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  KeStallExecutionProcessor(50);
  if (UseDma)
    Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:72: warning: 'Flush' is passed WriteToDevice 'TRUE', but 'Map' at line [[@LINE-5]] mapped the transfer with 'FALSE' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-6]]:10: note: transfer mapped here by 'Map'
  // CHECK: :[[@LINE-7]]:71: note: WriteToDevice 'FALSE' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// goto: the abort path has its own flush, with the wrong direction.
NTSTATUS GotoAbortWrongDirection(PDMA_ADAPTER Adapter, PIRP Irp,
                                 PVOID MapRegisterBase, TEST_REGS *Regs) {
  NTSTATUS Status = STATUS_SUCCESS;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR) {
    Status = STATUS_IO_DEVICE_ERROR;
    goto Abort;
  }
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  goto Done;
Abort:
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  // CHECK: :[[@LINE-1]]:68: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'FALSE', but 'IoMapTransfer' at line [[@LINE-9]] mapped the transfer with 'TRUE' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-10]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-11]]:61: note: WriteToDevice 'TRUE' given to the map here
  // CHECK: :[[@LINE-11]]:7: note: assuming 'READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR' is true
  // CHECK: :[[@LINE-10]]:5: note: jumping to 'Abort'
Done:
  IoFreeAdapterChannel(Adapter);
  Irp->IoStatus.Status = Status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return Status;
}

// AdapterControl: the default case of the status switch flushes with TRUE.
IO_ALLOCATION_ACTION AdapterControlDefaultCase(PDEVICE_OBJECT DeviceObject,
                                               PIRP Irp, PVOID MapRegisterBase,
                                               PVOID Context) {
  PDEVICE_EXTENSION Ext = (PDEVICE_EXTENSION)Context;
  PDMA_OPERATIONS Ops = Ext->DmaAdapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  (void)DeviceObject;
  Ops->MapTransfer(Ext->DmaAdapter, Mdl, MapRegisterBase, Va, &Length, FALSE);
  switch (READ_REGISTER_ULONG(&Ext->Regs->Status)) {
  case DEVICE_DONE:
    Ops->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, MapRegisterBase, Va, Length,
                             FALSE);
    break;
  default:
    Ops->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, MapRegisterBase, Va, Length,
                             TRUE);
    // CHECK: :[[@LINE-1]]:30: warning: 'FlushAdapterBuffers' is passed WriteToDevice 'TRUE', but 'MapTransfer' at line [[@LINE-9]] mapped the transfer with 'FALSE' [dma-flush-arg-mismatch]
    // CHECK: :[[@LINE-10]]:8: note: transfer mapped here by 'MapTransfer'
    // CHECK: :[[@LINE-11]]:72: note: WriteToDevice 'FALSE' given to the map here
    // CHECK: :[[@LINE-6]]:3: note: taking the default branch
    break;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return DeallocateObject;
}

// Mdl++ right after the map (array of MDLs): the flush gets the next MDL.
VOID MdlAdvancedBeforeFlush(PDEVICE_EXTENSION Ext, PIRP Irp, PMDL Mdls) {
  PMDL Mdl = Mdls;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  Mdl++;
  KeStallExecutionProcessor(10);
  Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:31: warning: 'Flush' is passed the Mdl 'Mdl', which changed after 'Map' at line [[@LINE-4]] mapped the transfer with it [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-5]]:8: note: transfer mapped here by 'Map'
  // CHECK: :[[@LINE-6]]:29: note: the Mdl 'Mdl' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The same with Mdl += 1 and legacy names.
VOID MdlAdvancedByOne(PDEVICE_EXTENSION Ext, PIRP Irp, PMDL Mdl) {
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                FALSE);
  Mdl += 1;
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        FALSE);
  // CHECK: :[[@LINE-2]]:42: warning: 'IoFlushAdapterBuffers' is passed the Mdl 'Mdl', which changed after 'IoMapTransfer' at line [[@LINE-5]] mapped the transfer with it [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-6]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-7]]:34: note: the Mdl 'Mdl' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// goto: the success path advances the Mdl before the shared flush label.
NTSTATUS MdlAdvancedOnSuccessPath(PDEVICE_EXTENSION Ext, PIRP Irp, PMDL Mdl) {
  NTSTATUS Status = STATUS_SUCCESS;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->DmaAdapter->DmaOperations->MapTransfer(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    Status = STATUS_IO_DEVICE_ERROR;
    goto Flush;
  }
  Mdl++;
Flush:
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, FALSE);
  // CHECK: :[[@LINE-1]]:24: warning: 'FlushAdapterBuffers' is passed the Mdl 'Mdl', which changed after 'MapTransfer' at line [[@LINE-11]] mapped the transfer with it [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-12]]:35: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-12]]:24: note: the Mdl 'Mdl' given to the map here
  // CHECK: :[[@LINE-11]]:7: note: assuming 'READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR' is false
  Irp->IoStatus.Status = Status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return Status;
}

// The map register base is stepped after the map; the flush gets the step.
VOID MapRegisterBaseAdvanced(PDMA_ADAPTER Adapter, PIRP Irp, PUCHAR Mrb,
                             ULONG Registers) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, Mrb, Va, &Length, TRUE);
  Mrb += PAGE_SIZE;
  KeStallExecutionProcessor(10);
  IoFlushAdapterBuffers(Adapter, Mdl, Mrb, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:39: warning: 'IoFlushAdapterBuffers' is passed MapRegisterBase 'Mrb', which changed after 'IoMapTransfer' at line [[@LINE-4]] mapped the transfer with it [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-5]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-6]]:31: note: MapRegisterBase 'Mrb' given to the map here
  IoFreeMapRegisters(Adapter, Mrb, Registers);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// One routine for both directions: map and flush read the same variable.
VOID SameDirectionVariable(PDEVICE_EXTENSION Ext, PIRP Irp,
                           BOOLEAN WriteToDevice) {
  PDMA_ADAPTER Adapter = Ext->DmaAdapter;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Mrb = Ext->MapRegisterBase;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Mrb, Va, &Length,
                                      WriteToDevice);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, WriteToDevice ? 3 : 1);
  KeStallExecutionProcessor(10);
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Mrb, Va, Length,
                                              WriteToDevice);
  Adapter->DmaOperations->FreeMapRegisters(Adapter, Mrb,
                                           Ext->NumberOfMapRegisters);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A copy of the direction taken after the map (PFLUSH_ADAPTER_BUFFERS local).
VOID CopyOfDirection(PDEVICE_EXTENSION Ext, PIRP Irp, BOOLEAN WriteToDevice) {
  PFLUSH_ADAPTER_BUFFERS Flush = Ext->Ops->FlushAdapterBuffers;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  BOOLEAN W;
  Ext->Ops->MapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                        &Length, WriteToDevice);
  W = WriteToDevice;
  Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, W);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Copies of the adapter, the Mdl and the base against the originals: equal.
VOID CopiesOfArguments(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PDMA_ADAPTER Adapter = Ext->DmaAdapter;
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  PVOID Base = Ext->MapRegisterBase;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ops->MapTransfer(Adapter, Mdl, Base, Va, &Length, FALSE);
  KeStallExecutionProcessor(10);
  (*Ops->FlushAdapterBuffers)(Ext->DmaAdapter, Irp->MdlAddress,
                              Ext->MapRegisterBase, Va, Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Fields this function never wrote against parameters: unknown, not provable.
VOID FieldsAgainstParameters(PDEVICE_EXTENSION Ext, PIRP Irp,
                             PVOID MapRegisterBase, BOOLEAN WriteToDevice) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Ops->MapTransfer(Ext->DmaAdapter, Mdl, MapRegisterBase, Va, &Length,
                        WriteToDevice);
  KeStallExecutionProcessor(10);
  Ext->Ops->FlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl,
                                Ext->MapRegisterBase, Va, Length,
                                Ext->WriteToDevice);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Fields written from the map's arguments here, then flushed from: equal.
VOID FieldsWrittenHere(PDEVICE_EXTENSION Ext, PIRP Irp, PVOID MapRegisterBase,
                       BOOLEAN WriteToDevice) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Mdl = Mdl;
  Ext->MapRegisterBase = MapRegisterBase;
  Ext->WriteToDevice = WriteToDevice;
  IoMapTransfer(Ext->DmaAdapter, Mdl, MapRegisterBase, Va, &Length,
                WriteToDevice);
  KeStallExecutionProcessor(10);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Va,
                        Length, Ext->WriteToDevice);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Correlated branches: TRUE mapped and flushed on one path, FALSE on the other.
VOID CorrelatedDirections(PDEVICE_EXTENSION Ext, PIRP Irp, BOOLEAN Write) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (Write)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  TRUE);
  else
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, Write ? 3 : 1);
  KeStallExecutionProcessor(10);
  if (Write)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  else
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The same negated expression for map and flush, via the extension's pointers.
VOID SameNegation(PDEVICE_EXTENSION Ext, PIRP Irp, BOOLEAN Read) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->Map(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, !Read);
  KeStallExecutionProcessor(10);
  Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, !Read);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The direction is flipped after the map, and the flush negates it back.
VOID FlippedAndNegatedBack(PDEVICE_EXTENSION Ext, PIRP Irp, BOOLEAN Write) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, Write);
  Write = !Write;
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        !Write);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Inside if (WriteToDevice) the constant TRUE is the mapped value.
VOID ConstantMatchesBranch(PDEVICE_EXTENSION Ext, PIRP Irp,
                           BOOLEAN WriteToDevice) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (WriteToDevice) {
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  WriteToDevice);
    KeStallExecutionProcessor(10);
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// An array of MDLs: the pointer advances only after each flush.
VOID MdlArrayAdvancedAfterFlush(PDEVICE_EXTENSION Ext, PIRP Irp, PMDL Mdls,
                                ULONG Count) {
  PMDL Mdl = Mdls;
  ULONG i;
  for (i = 0; i < Count; i++, Mdl++) {
    PVOID Va = MmGetMdlVirtualAddress(Mdl);
    ULONG Length = MmGetMdlByteCount(Mdl);
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  TRUE);
    KeStallExecutionProcessor(10);
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A chained MDL: each link is mapped and flushed before moving to Next.
VOID MdlChainInOrder(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PDMA_OPERATIONS Ops = Ext->Ops;
  PMDL Mdl;
  for (Mdl = Irp->MdlAddress; Mdl != NULL; Mdl = Mdl->Next) {
    PVOID Va = MmGetMdlVirtualAddress(Mdl);
    ULONG Length = MmGetMdlByteCount(Mdl);
    Ops->MapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                     FALSE);
    KeStallExecutionProcessor(10);
    Ops->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                             Length, FALSE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// DPC-style: flushes what AdapterControl mapped, all from the extension.
VOID DpcFlushFromExtension(PVOID Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp,
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

// ---- must fire: a direction pinned down by a branch -------------------------

// Mapped with WriteToDevice; inside `if (WriteToDevice)` it is not FALSE.
VOID BranchPinsDirection(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                         BOOLEAN WriteToDevice) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, WriteToDevice);
  if (WriteToDevice)
    IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  // CHECK: :[[@LINE-1]]:70: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'FALSE', but 'IoMapTransfer' at line [[@LINE-3]] mapped the transfer with 'WriteToDevice' [dma-flush-arg-mismatch]
  else
    IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Mapped with TRUE under `if (!WriteToDevice)`: the variable is FALSE there.
VOID NegatedBranchPinsDirection(PDMA_ADAPTER Adapter, PIRP Irp,
                                PVOID MapRegisterBase, BOOLEAN WriteToDevice) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (!WriteToDevice) {
    IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
    IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length,
                          WriteToDevice);
    // CHECK: :[[@LINE-1]]:27: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'WriteToDevice', but 'IoMapTransfer' at line [[@LINE-3]] mapped the transfer with 'TRUE' [dma-flush-arg-mismatch]
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- a command table decides the direction (reduced from a floppy
// controller driver) ---------------------------------------------------------

#define XX_CMD_MASK 0x1f
#define XX_CMD_CONFIGURE 0x11
#define XX_CMD_OPTION 0x80
#define XX_XFER_NONE 0
#define XX_XFER_READ 1
#define XX_XFER_WRITE 2
typedef struct _XX_COMMAND { UCHAR OpCode; UCHAR Transfer; } XX_COMMAND;
XX_COMMAND XxCommandTable[] = {
    {0x00, XX_XFER_NONE}, {0x06, XX_XFER_READ}, {0x05, XX_XFER_WRITE}};

static NTSTATUS XxSendByte(PDEVICE_EXTENSION Ext, UCHAR Byte) {
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, Byte);
  return (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR)
             ? STATUS_IO_DEVICE_ERROR
             : STATUS_SUCCESS;
}

// Silent: map and flush are chosen by the same test of the same table
// element, re-read after a call that cannot write the table, and after an
// option bit the mask takes off was set on one path.
NTSTATUS TableDecidesBoth(PDEVICE_EXTENSION Ext, PMDL Mdl, ULONG Command,
                          BOOLEAN Fast) {
  ULONG Length = MmGetMdlByteCount(Mdl);
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  NTSTATUS Status;
  if (XxCommandTable[Command & XX_CMD_MASK].Transfer == XX_XFER_READ)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  FALSE);
  else if (XxCommandTable[Command & XX_CMD_MASK].Transfer == XX_XFER_WRITE)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  TRUE);
  if (Command == XX_CMD_CONFIGURE && Fast)
    Command |= XX_CMD_OPTION;
  Status = XxSendByte(Ext, (UCHAR)(XxCommandTable[Command & XX_CMD_MASK].OpCode |
                                   (Command & ~XX_CMD_MASK)));
  if (!NT_SUCCESS(Status)) {
    if (XxCommandTable[Command & XX_CMD_MASK].Transfer == XX_XFER_READ)
      IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                            Length, FALSE);
    else if (XxCommandTable[Command & XX_CMD_MASK].Transfer == XX_XFER_WRITE)
      IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                            Length, TRUE);
  }
  return Status;
}

// Fires: the same table, with the flush's directions swapped.
NTSTATUS TableSwapsFlush(PDEVICE_EXTENSION Ext, PMDL Mdl, ULONG Command) {
  ULONG Length = MmGetMdlByteCount(Mdl);
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  NTSTATUS Status;
  if (XxCommandTable[Command & XX_CMD_MASK].Transfer == XX_XFER_READ)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  FALSE);
  Status = XxSendByte(Ext, XxCommandTable[Command & XX_CMD_MASK].OpCode);
  if (XxCommandTable[Command & XX_CMD_MASK].Transfer == XX_XFER_READ)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  // CHECK: :[[@LINE-1]]:35: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'TRUE', but 'IoMapTransfer' at line [[@LINE-6]] mapped the transfer with 'FALSE' [dma-flush-arg-mismatch]
  return Status;
}

// ---- other objects and other tests (provable in one function) --------------

#define XX_MJ_READ 3
#define XX_MJ_WRITE 4

// Fires: each case knows the major function, and the two tests disagree on
// it.
VOID DirectionByMajorFunction(PDEVICE_EXTENSION Ext, PIRP Irp, UCHAR Major) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  switch (Major) {
  case XX_MJ_READ:
  case XX_MJ_WRITE:
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  Major == XX_MJ_WRITE);
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, Major == XX_MJ_READ);
    // CHECK: :[[@LINE-1]]:35: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'Major == XX_MJ_READ', but 'IoMapTransfer' at line [[@LINE-4]] mapped the transfer with 'Major == XX_MJ_WRITE' [dma-flush-arg-mismatch]
    IoFreeAdapterChannel(Ext->DmaAdapter);
    break;
  default:
    break;
  }
}

// Silent: nothing on the path says what the major function is (both tests
// are FALSE for any other).
VOID DirectionUnknownMajor(PDEVICE_EXTENSION Ext, PIRP Irp, UCHAR Major) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                Major == XX_MJ_WRITE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                        Length, Major == XX_MJ_READ);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// Fires: the transfer maps an MDL allocated here; the flush is given the
// IRP's MDL, which existed before it.
VOID FlushOfAnotherMdl(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = IoAllocateMdl(Ext->StartVa, 0x1000, FALSE, FALSE, NULL);
  PUCHAR Va;
  ULONG Length = 0x1000;
  if (Mdl == NULL)
    return;
  Va = MmGetMdlVirtualAddress(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase,
                        Va, Length, TRUE);
  // CHECK: :[[@LINE-2]]:42: warning: 'IoFlushAdapterBuffers' is passed the Mdl 'Irp->MdlAddress', but 'IoMapTransfer' at line [[@LINE-3]] mapped the transfer with 'Mdl' [dma-flush-arg-mismatch]
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// Fires: mapped on an adapter obtained here, flushed on the one the device
// extension held before.
VOID FlushOnAnotherAdapter(PDEVICE_EXTENSION Ext, PIRP Irp,
                           PDEVICE_OBJECT Pdo) {
  DEVICE_DESCRIPTION Description = {0};
  ULONG Registers = 0;
  PDMA_ADAPTER Adapter = IoGetDmaAdapter(Pdo, &Description, &Registers);
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  if (!Adapter)
    return;
  IoMapTransfer(Adapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
  // CHECK: :[[@LINE-2]]:25: warning: 'IoFlushAdapterBuffers' is passed the adapter 'Ext->DmaAdapter', but 'IoMapTransfer' at line [[@LINE-3]] mapped the transfer with 'Adapter' [dma-flush-arg-mismatch]
  IoFreeAdapterChannel(Adapter);
}

// Silent: two MDLs the function was given may be the same one.
VOID FlushOfParameterMdl(PDEVICE_EXTENSION Ext, PIRP Irp, PMDL Other) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Other, Ext->MapRegisterBase, Va,
                        Length, TRUE);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// Silent: the allocation may have failed (NULL is no different from NULL).
VOID AllocationNotChecked(PDEVICE_EXTENSION Ext, PIRP Irp,
                          PDEVICE_OBJECT Pdo) {
  DEVICE_DESCRIPTION Description = {0};
  ULONG Registers = 0;
  PDMA_ADAPTER Adapter = IoGetDmaAdapter(Pdo, &Description, &Registers);
  PDMA_ADAPTER Again = IoGetDmaAdapter(Pdo, &Description, &Registers);
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = 0x1000;
  IoMapTransfer(Adapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  IoFlushAdapterBuffers(Again, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
  IoFreeAdapterChannel(Adapter);
}

// Silent: the MDL allocated for the IRP is stored in it by the allocation
// (IoAllocateMdl(..., Irp) sets Irp->MdlAddress): the IRP's MDL read after
// the call may be the new one.
VOID AllocatedForTheIrp(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = IoAllocateMdl(Ext->StartVa, 0x1000, FALSE, FALSE, Irp);
  PUCHAR Va;
  ULONG Length = 0x1000;
  if (Mdl == NULL)
    return;
  Va = MmGetMdlVirtualAddress(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase,
                        Va, Length, TRUE);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}
