// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A bus master that maps one operation piece by piece and splits each piece
// into page-sized descriptors in a nested loop, clamped to what is left (the
// shape of a USB host-controller driver's AdapterControl). The loops'
// counters and cursors, and the clamp inside the operation, cannot tell any
// check anything: their states merge, the function is analysed in full (no
// "partly analysed" under --verbose), and the missing flush on the error path
// is found.
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %exit 1 -- %dmacheck --verbose %s -- %mini 2> %t.err > /dev/null
// RUN: FileCheck %s --check-prefix=VERBOSE < %t.err
// VERBOSE-NOT: partly analysed
#include "dmatest.h"

#define XX_PAGE_MASK (PAGE_SIZE - 1)
typedef struct _XX_DESCRIPTOR {
  PHYSICAL_ADDRESS Address;
  ULONG Length;
  ULONG Offset;
} XX_DESCRIPTOR;
typedef struct _XX_REQUEST {
  PIRP Irp;
  PMDL Mdl;
  PVOID MapRegisterBase;
  ULONG TotalLength;
  BOOLEAN ToDevice;
  ULONG Count;
  XX_DESCRIPTOR Descriptors[64];
} XX_REQUEST, *PXX_REQUEST;

static ULONG MapPieces(PDEVICE_EXTENSION Ext, PXX_REQUEST Req,
                       PVOID MapRegisterBase) {
  ULONG_PTR Va = (ULONG_PTR)MmGetMdlVirtualAddress(Req->Mdl);
  ULONG Done = 0, Index = 0, Length = Req->TotalLength;
  PHYSICAL_ADDRESS Phys;
  do {
    ULONG Left;
    Phys = Ext->DmaAdapter->DmaOperations->MapTransfer(
        Ext->DmaAdapter, Req->Mdl, MapRegisterBase, (PVOID)Va, &Length,
        Req->ToDevice);
    Left = Length;
    do {
      ULONG Piece = PAGE_SIZE - (Phys.u.LowPart & XX_PAGE_MASK);
      if (Piece > Left)
        Piece = Left;
      Req->Descriptors[Index].Address = Phys;
      Req->Descriptors[Index].Length = Piece;
      Req->Descriptors[Index].Offset = Done + (Length - Left);
      Phys.u.LowPart += Piece;
      Left -= Piece;
      ++Index;
    } while (Left && Index < 64);
    Done += Length;
    Va += Length;
    Length = Req->TotalLength - Done;
  } while (Done != Req->TotalLength && Index < 64);
  return Index;
}

// ---- must fire -------------------------------------------------------------

// The controller refuses the descriptors: the request is completed with the
// pieces mapped and never flushed.
DRIVER_CONTROL MapRequestFails;
IO_ALLOCATION_ACTION MapRequestFails(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                     PVOID MapRegisterBase, PVOID Context) {
  PXX_REQUEST Req = Context;
  PDEVICE_EXTENSION Ext = DeviceObject->DeviceExtension;
  UNREFERENCED_PARAMETER(Irp);
  Req->MapRegisterBase = MapRegisterBase;
  Req->Count = MapPieces(Ext, Req, MapRegisterBase);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    Req->Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Req->Irp, IO_NO_INCREMENT);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'MapTransfer' at line 41 in 'MapPieces' has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
    return DeallocateObjectKeepRegisters;
  }
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, Req->Count);
  return DeallocateObjectKeepRegisters;
}

// ---- must stay silent ------------------------------------------------------

// The error path flushes the whole operation (initial CurrentVa, total
// length) and frees the registers before completing.
DRIVER_CONTROL MapRequestFlushes;
IO_ALLOCATION_ACTION MapRequestFlushes(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                       PVOID MapRegisterBase, PVOID Context) {
  PXX_REQUEST Req = Context;
  PDEVICE_EXTENSION Ext = DeviceObject->DeviceExtension;
  UNREFERENCED_PARAMETER(Irp);
  Req->MapRegisterBase = MapRegisterBase;
  Req->Count = MapPieces(Ext, Req, MapRegisterBase);
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_ERROR) {
    Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(
        Ext->DmaAdapter, Req->Mdl, MapRegisterBase,
        MmGetMdlVirtualAddress(Req->Mdl), Req->TotalLength, Req->ToDevice);
    Ext->DmaAdapter->DmaOperations->FreeMapRegisters(
        Ext->DmaAdapter, MapRegisterBase, Ext->NumberOfMapRegisters);
    Req->Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Req->Irp, IO_NO_INCREMENT);
    return DeallocateObjectKeepRegisters;
  }
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, Req->Count);
  return DeallocateObjectKeepRegisters;
}
