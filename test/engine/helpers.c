// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Same-file helpers: a helper that flushes, releases or completes on every
// path, with arguments that are its parameters (or their fields), counts as
// that call at each call site. Anything less exact makes the transfer
// unknown: nothing is reported after it.
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

static VOID FailRequest(PIRP Irp, NTSTATUS Status) {
  Irp->IoStatus.Status = Status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

static VOID ReleaseRegisters(PDEVICE_EXTENSION Ext) {
  Ext->DmaAdapter->DmaOperations->FreeMapRegisters(
      Ext->DmaAdapter, Ext->MapRegisterBase, Ext->NumberOfMapRegisters);
}

static VOID EndTransfer(PDEVICE_EXTENSION Ext, PMDL Mdl, PVOID Va,
                        ULONG Length) {
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        Ext->WriteToDevice);
}

// Flushes only sometimes: not exact.
static VOID MaybeEnd(PDEVICE_EXTENSION Ext, PMDL Mdl, PVOID Va, ULONG Length) {
  if (Ext->UseDma)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
}

// ---- must fire -------------------------------------------------------------

// A helper completes the IRP on the error path, before any flush.
VOID HelperCompletes(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    FailRequest(Irp, STATUS_IO_DEVICE_ERROR);
    // CHECK: :[[@LINE-1]]:5: warning: 'FailRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line [[@LINE-3]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
    return;
  }
  EndTransfer(Ext, Mdl, Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A helper frees the map registers, then the flush comes too late.
VOID HelperFreesThenFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Mdl,
                                              Ext->MapRegisterBase, Va,
                                              &Length, FALSE);
  ReleaseRegisters(Ext);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        FALSE);
  // CHECK: :[[@LINE-2]]:3: warning: 'IoFlushAdapterBuffers' is called after 'ReleaseRegisters' frees the map registers (line [[@LINE-3]]); flush before releasing the map registers [dma-flush-order]
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The flushing helper is given the advanced cursor.
VOID HelperGivenCursor(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                Ext->WriteToDevice);
  Va += Length;
  EndTransfer(Ext, Mdl, Va, Length);
  // CHECK: :[[@LINE-1]]:25: warning: 'EndTransfer' is passed 'Va', which was advanced after 'IoMapTransfer' (line [[@LINE-2]]); the flush needs the initial CurrentVa given to 'IoMapTransfer' at line [[@LINE-4]] ('Va') [dma-flush-va-mismatch]
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A release helper whose assertion fails into a call that does not return
// (an MSVC-mode ASSERT ends in __int2c): it still releases on every path
// that returns, so it counts as the release.
__attribute__((noreturn)) VOID AssertionFailed(const char *What);
#define CHECK(e) ((e) ? (void)0 : AssertionFailed(#e))
static VOID ReleaseChannelChecked(PDEVICE_EXTENSION Ext) {
  CHECK(Ext->DmaAdapter != NULL);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

VOID CheckedReleaseBeforeFlush(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    ReleaseChannelChecked(Ext);
    // CHECK: :[[@LINE-1]]:5: warning: 'ReleaseChannelChecked' frees the adapter channel while the transfer mapped by 'IoMapTransfer' at line [[@LINE-3]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  EndTransfer(Ext, Mdl, Va, Length);
  ReleaseChannelChecked(Ext);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// Flush through the helper, then release and complete through helpers.
VOID HelpersInOrder(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                Ext->WriteToDevice);
  EndTransfer(Ext, Mdl, Va, Length);
  ReleaseRegisters(Ext);
  FailRequest(Irp, STATUS_SUCCESS);
}

// A helper that flushes only sometimes: unknown, nothing reported after it.
VOID ConditionalHelper(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  MaybeEnd(Ext, Mdl, Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// An error path that never mapped completes through the helper.
VOID HelperBeforeMap(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va;
  ULONG Length;
  if (Mdl == NULL) {
    FailRequest(Irp, STATUS_INSUFFICIENT_RESOURCES);
    return;
  }
  Va = MmGetMdlVirtualAddress(Mdl);
  Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                Ext->WriteToDevice);
  EndTransfer(Ext, Mdl, Va, Length);
  FailRequest(Irp, STATUS_SUCCESS);
}

// Two DMA states reach one helper call: a piece loop maps once or several
// times, then a helper flushes and frees with what the extension holds. Each
// state applies the helper: the second is not mistaken for a bare release.
static VOID FlushAndFree(PDEVICE_EXTENSION Ext) {
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
      Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->StartVa,
      Ext->Length, TRUE);
  Ext->DmaAdapter->DmaOperations->FreeMapRegisters(
      Ext->DmaAdapter, Ext->MapRegisterBase, Ext->NumberOfMapRegisters);
}

VOID PieceLoopThenHelper(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG Left;
  Ext->Mdl = Irp->MdlAddress;
  Ext->StartVa = (PUCHAR)MmGetMdlVirtualAddress(Ext->Mdl);
  Ext->Length = MmGetMdlByteCount(Ext->Mdl);
  Left = Ext->Length;
  while (Left != 0) {
    ULONG Piece = Left;
    Ext->DmaAdapter->DmaOperations->MapTransfer(
        Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Ext->StartVa, &Piece,
        TRUE);
    Left -= Piece;
  }
  FlushAndFree(Ext);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
