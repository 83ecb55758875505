// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Ways a function returns: a same-file helper that maps is summarised by one
// case per way it returns (its transfer open, or nothing mapped), with what
// those paths assumed about its arguments and the constant they returned; a
// caller goes on in one state per case its arguments allow. A clamp
// (`if (len > left) len = left;`, or a min conditional) keeps its two paths
// apart, so a length clamped to the remaining count maps exactly that count.
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

// Maps only when the device uses DMA.
static VOID MapIfDma(PDEVICE_EXTENSION Ext, PIRP Irp) {
  if (Ext->UseDma) {
    Ext->Mdl = Irp->MdlAddress;
    Ext->StartVa = MmGetMdlVirtualAddress(Ext->Mdl);
    Ext->Length = MmGetMdlByteCount(Ext->Mdl);
    IoMapTransfer(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                  Ext->StartVa, &Ext->Length, TRUE);
  }
}

// Fails before mapping when there is no MDL; says so in its status.
static NTSTATUS MapOrFail(PDEVICE_EXTENSION Ext, PIRP Irp, PUCHAR *Va,
                          PULONG Length) {
  PMDL Mdl = Irp->MdlAddress;
  if (Mdl == NULL)
    return STATUS_INSUFFICIENT_RESOURCES;
  *Va = MmGetMdlVirtualAddress(Mdl);
  *Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, *Va, Length,
                TRUE);
  return STATUS_SUCCESS;
}

// Moves the cursor on past what it mapped only when asked to.
static VOID MapAndMaybeAdvance(PDEVICE_EXTENSION Ext, BOOLEAN Advance) {
  ULONG Length = Ext->Length;
  IoMapTransfer(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                Ext->CurrentVa, &Length, TRUE);
  Ext->Length = Length;
  if (Advance)
    Ext->CurrentVa += Length;
}

// One operation of a split transfer: at most Max bytes, clamped to what is
// left of the request; maps it in pieces, then runs the counter down.
static VOID MapOperation(PDEVICE_EXTENSION Ext, ULONG Max) {
  PUCHAR Va = Ext->CurrentVa;
  ULONG Op = Max;
  ULONG Left;
  if (Op > Ext->Remaining) {
    Op = Ext->Remaining;
  }
  Ext->StartVa = Va;
  for (Left = Op; Left != 0;) {
    ULONG Chunk = Left;
    Ext->DmaAdapter->DmaOperations->MapTransfer(
        Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Va, &Chunk, TRUE);
    Va += Chunk;
    Left -= Chunk;
  }
  Ext->Length = Op;
  Ext->CurrentVa = Va;
  Ext->Remaining -= Ext->Length;
}

// ---- must fire -------------------------------------------------------------

// F1: the helper mapped (UseDma is set), and that branch completes unflushed.
VOID CompletesWhenMapped(PDEVICE_EXTENSION Ext, PIRP Irp) {
  MapIfDma(Ext, Irp);
  if (Ext->UseDma) {
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line 20 in 'MapIfDma' has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
    return;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// F2: the helper succeeded, so it mapped; the success path does not flush.
VOID CompletesOnSuccess(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PUCHAR Va;
  ULONG Length;
  NTSTATUS Status = MapOrFail(Ext, Irp, &Va, &Length);
  if (!NT_SUCCESS(Status)) {
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line 33 in 'MapOrFail' has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
}

// F3: asked to advance, the helper moved the cursor on: it is not the VA
// that was mapped.
VOID FlushesAdvancedCursor(PDEVICE_EXTENSION Ext, PIRP Irp) {
  MapAndMaybeAdvance(Ext, TRUE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                        Ext->CurrentVa, Ext->Length, TRUE);
  // CHECK: :[[@LINE-1]]:25: warning: {{.*}} [dma-flush-va-mismatch]
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// F4: on the last operation (clamped to Remaining) the counter ends at what
// was left minus what was mapped: not the operation's length.
VOID FlushesRemainingAfterHelper(PDEVICE_EXTENSION Ext, PIRP Irp) {
  MapOperation(Ext, 0x10000);
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->StartVa,
      Ext->Remaining, TRUE);
  // CHECK: :[[@LINE-1]]:7: warning: 'FlushAdapterBuffers' is passed 'Ext->Remaining' as Length, which was decremented after 'MapTransfer' (line 67); the flush needs the total length of the operation [dma-flush-length-mismatch]
  // CHECK: helper-cases.c:54:7: note: assuming 'Op > Ext->Remaining' is true: the length mapped was clamped
  // CHECK: helper-cases.c:67:3: note: 'Ext->Remaining' decremented here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// F5: the same in one function, with the clamp written as a conditional.
VOID FlushesRemainingMin(PDEVICE_EXTENSION Ext, PIRP Irp, ULONG Max) {
  ULONG Op = Max < Ext->Remaining ? Max : Ext->Remaining;
  ULONG Mapped = Op;
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Ext->Mdl,
                                              Ext->MapRegisterBase,
                                              Ext->CurrentVa, &Mapped, TRUE);
  Ext->Remaining -= Mapped;
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->CurrentVa,
      Ext->Remaining, TRUE);
  // CHECK: :[[@LINE-1]]:7: warning: 'FlushAdapterBuffers' is passed 'Ext->Remaining' as Length, which was decremented after 'MapTransfer' (line [[@LINE-4]]){{.*}} [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-10]]:14: note: assuming 'Max < Ext->Remaining' is false: the length mapped was clamped
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// S1: the branch that completes is the one where the helper mapped nothing.
VOID CompletesWhenNotMapped(PDEVICE_EXTENSION Ext, PIRP Irp) {
  MapIfDma(Ext, Irp);
  if (!Ext->UseDma) {
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  IoFlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                        Ext->StartVa, Ext->Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// S2: the helper failed before mapping; the error path owes no flush.
VOID CompletesOnFailure(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PUCHAR Va;
  ULONG Length;
  NTSTATUS Status = MapOrFail(Ext, Irp, &Va, &Length);
  if (!NT_SUCCESS(Status)) {
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  IoFlushAdapterBuffers(Ext->DmaAdapter, Irp->MdlAddress,
                        Ext->MapRegisterBase, Va, Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// S3: not asked to advance: the cursor is still the mapped VA.
VOID FlushesUnmovedCursor(PDEVICE_EXTENSION Ext, PIRP Irp) {
  MapAndMaybeAdvance(Ext, FALSE);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase,
                        Ext->CurrentVa, Ext->Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// S4: clamped or not, the flush gets the operation's start and length.
VOID FlushesOperation(PDEVICE_EXTENSION Ext, PIRP Irp) {
  MapOperation(Ext, 0x10000);
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->StartVa,
      Ext->Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// S5: a clamp, but the counter is not run down by what was mapped: the flush
// of the clamped length is right on both paths.
VOID FlushesClampedLength(PDEVICE_EXTENSION Ext, PIRP Irp, ULONG Max) {
  ULONG Op = Max;
  if (Op > Ext->Remaining)
    Op = Ext->Remaining;
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Ext->Mdl,
                                              Ext->MapRegisterBase,
                                              Ext->CurrentVa, &Op, TRUE);
  Ext->Remaining = 0;
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->CurrentVa, Op,
      TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
