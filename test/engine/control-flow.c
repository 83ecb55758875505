// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The path walk: short-circuit conditions, do/while, nested loops, early
// return, correlation through == / != / < tests and switch, a field read twice.
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

// && : the flush is skipped when the second operand is false.
VOID ShortCircuitAnd(PDEVICE_EXTENSION Ext, PIRP Irp, BOOLEAN Ready) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  if (Ready && (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_DONE))
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line [[@LINE-5]] has not been flushed
  // CHECK: :[[@LINE-6]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: :[[@LINE-6]]:7: note: assuming 'Ready' is false
}

// || with the same operands tested twice: correlated, silent.
VOID ShortCircuitOrCorrelated(PDEVICE_EXTENSION Ext, PIRP Irp, BOOLEAN A,
                              BOOLEAN B) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (A || B)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  if (A || B)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A mode compared with == and != against constants: correlated, silent.
VOID CorrelatedEquality(PDEVICE_EXTENSION Ext, PIRP Irp, ULONG Mode) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (Mode == 2)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  FALSE);
  if (Mode != 2) {
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A threshold tested twice (< then >=): correlated, silent.
VOID CorrelatedRange(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (Length < 512)
    goto Pio;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
Pio:
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The same field read twice with no write in between is the same value.
VOID FieldReadTwice(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (Ext->UseDma)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  TRUE);
  KeStallExecutionProcessor(10);
  if (Ext->UseDma)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ... but not after the field was written: both outcomes are possible.
VOID FieldWrittenBetween(PDEVICE_EXTENSION Ext, PIRP Irp, BOOLEAN Mode) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  if (Ext->UseDma)
    IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                  TRUE);
  Ext->UseDma = Mode;
  if (Ext->UseDma)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line [[@LINE-7]] has not been flushed
  // CHECK: :[[@LINE-5]]:7: note: assuming 'Ext->UseDma' is false
}

// do/while polling with an early return on timeout that forgets the flush.
VOID DoWhileTimeout(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  ULONG Tries = 100;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  do {
    if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_DONE)
      break;
    KeStallExecutionProcessor(10);
  } while (--Tries);
  if (Tries == 0) {
    IoFreeMapRegisters(Ext->DmaAdapter, Ext->MapRegisterBase,
                       Ext->NumberOfMapRegisters);
    // CHECK: :[[@LINE-2]]:5: warning: 'IoFreeMapRegisters' frees the map registers while the transfer mapped by 'IoMapTransfer' at line [[@LINE-9]] has not been flushed
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        FALSE);
  IoFreeMapRegisters(Ext->DmaAdapter, Ext->MapRegisterBase,
                     Ext->NumberOfMapRegisters);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Nested loops over a chain of MDLs, each mapped and flushed in turn: silent.
VOID NestedLoops(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl;
  for (Mdl = Irp->MdlAddress; Mdl != NULL; Mdl = Mdl->Next) {
    PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
    ULONG Remaining = MmGetMdlByteCount(Mdl);
    while (Remaining) {
      ULONG Length = Remaining > PAGE_SIZE ? PAGE_SIZE : Remaining;
      IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                    TRUE);
      WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
      IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                            Length, TRUE);
      Va += Length;
      Remaining -= Length;
    }
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A helper defined in another file is given the device extension the
// adapter was read from: its effects are unknown, nothing is reported.
VOID EndDmaElsewhere(PDEVICE_EXTENSION Ext);
VOID UnknownHelper(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  EndDmaElsewhere(Ext);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Paths that decided differently and then merged: the notes keep only the
// decisions both made, so no note contradicts a later one (not "'!NT_SUCCESS
// (Status)' is false" and then "'NT_SUCCESS(Status)' is false").
VOID NotesAgreeAfterMerge(PDEVICE_EXTENSION Ext, PIRP Irp, NTSTATUS Status) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  BOOLEAN More;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  if (Status == STATUS_IO_TIMEOUT)
    Ext->Length++;
  else if (!NT_SUCCESS(Status))
    Ext->Remaining++;
  More = (BOOLEAN)(NT_SUCCESS(Status) && Ext->Remaining != 0);
  if (More)
    IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va,
                          Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line [[@LINE-10]] has not been flushed
  // CHECK: :[[@LINE-11]]:3: note: transfer mapped here by 'IoMapTransfer'
  // CHECK-NOT: note: assuming
  // CHECK: :[[@LINE-7]]:7: note: assuming 'More' is false
}
