// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The system's routines and the compiler's builtins have no DMA effect:
// a driver's hardware helper that only traces (a debug-print macro that
// expands to MSVC's __noop), stalls, prints and touches registers leaves an
// open transfer provable, whether the kernel headers come by -isystem
// (mingw-w64) or by -I (mini/wdm.h, as a tree's own copy of wdm.h). Only the
// driver's own routines with unseen bodies are unknown.
//
// RUN: %gcc-wdm %s && %gcc-mini %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %dmacheck %s --export-facts=%t.json -- %mini > /dev/null || true
// RUN: FileCheck %s --check-prefix=FACTS < %t.json
#include "dmatest.h"

#if defined(__clang__)
#define HW_TRACE __noop
#else
#define HW_TRACE(...) ((void)0)
#endif

// FACTS: "HwStartCommand": {
// FACTS-NEXT: "defined": true,
// FACTS-NEXT: "dmaEffects": false,
// FACTS-NEXT: "writes": [
// FACTS-NEXT: "_TEST_REGS.Control",
// FACTS-NEXT: "_TEST_REGS.Status"
// FACTS-NEXT: ]
NTSTATUS HwStartCommand(PDEVICE_EXTENSION Ext, ULONG Command) {
  ULONG Spins;
  HW_TRACE("command %x at %p\n", Command, Ext->Regs);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, Command);
  for (Spins = 0; Spins < 100; Spins++) {
    if (READ_REGISTER_ULONG(&Ext->Regs->Status) & DEVICE_DONE)
      return STATUS_SUCCESS;
    KeStallExecutionProcessor(10);
  }
  DbgPrint("controller at %p timed out\n", Ext);
  return STATUS_IO_TIMEOUT;
}

// FACTS: "HwTrace": {
// FACTS-NEXT: "defined": true,
// FACTS-NEXT: "dmaEffects": false,
// FACTS-NEXT: "writes": []
VOID HwTrace(PDEVICE_EXTENSION Ext) { HW_TRACE("x", Ext->Regs); }

// A routine of the driver's defined in another file, with no facts: unknown.
NTSTATUS HwFinish(PDEVICE_EXTENSION Ext);

// The kernel's own export, redeclared by the driver's header without
// NTKERNELAPI: the system's (its name says so), no DMA effect.
NTSTATUS ExQueryDeviceState(PIRP Irp, PULONG State);

// ---- must fire -------------------------------------------------------------

// The controller command fails after the map: the error path frees the
// channel with no flush (the shape of a real floppy driver's bug).
VOID CommandFailsAfterMap(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  HwTrace(Ext);
  if (!NT_SUCCESS(HwStartCommand(Ext, 1)))
    goto fail;
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
fail:
  IoFreeAdapterChannel(Ext->DmaAdapter);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoFreeAdapterChannel' frees the adapter channel while the transfer mapped by 'IoMapTransfer' at line [[@LINE-8]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  // CHECK: note: transfer mapped here by 'IoMapTransfer'
  // CHECK: note: assuming '!NT_SUCCESS(HwStartCommand(Ext, 1))' is true
  Irp->IoStatus.Status = STATUS_SUCCESS;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A debug print given the device extension does not write it: the flush of
// what it holds is still checked.
VOID PrintDoesNotWrite(PDEVICE_EXTENSION Ext, PIRP Irp) {
  ULONG Length = Ext->Length;
  IoMapTransfer(Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase,
                Ext->CurrentVa, &Length, Ext->WriteToDevice);
  DbgPrint("mapped %p\n", Ext);
  HW_TRACE("mapped", Ext);
  IoFlushAdapterBuffers(Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase,
                        Ext->CurrentVa, Length, !Ext->WriteToDevice);
  // CHECK: :[[@LINE-1]]:49: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice '!Ext->WriteToDevice', but 'IoMapTransfer' at line [[@LINE-6]] mapped the transfer with 'Ext->WriteToDevice' [dma-flush-arg-mismatch]
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// The system's routine redeclared by the driver does not hide the bug.
VOID RedeclaredKernelRoutine(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl), State;
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  if (!NT_SUCCESS(ExQueryDeviceState(Irp, &State))) {
    IoFreeAdapterChannel(Ext->DmaAdapter);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoFreeAdapterChannel' frees the adapter channel while the transfer mapped by 'IoMapTransfer' at line [[@LINE-3]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
    return;
  }
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

// ---- must stay silent ------------------------------------------------------

// The same path with the flush before the label.
VOID CommandFailsFlushed(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  HwTrace(Ext);
  if (!NT_SUCCESS(HwStartCommand(Ext, 1)))
    goto fail;
  HwStartCommand(Ext, 2);
fail:
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
  IoFreeAdapterChannel(Ext->DmaAdapter);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The driver's own routine with no body here may flush: unknown, silent.
VOID UnknownDriverRoutine(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  HwFinish(Ext);
  // VERBOSE: system-routines.c:[[# @LINE-1]]: dmacheck: note: in 'UnknownDriverRoutine', the transfer mapped at line [[# @LINE-2]] is not followed past this call to 'HwFinish': it is the driver's routine, its body is in no file of this run
  IoFreeAdapterChannel(Ext->DmaAdapter);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A routine with a reserved name called with no declaration at all (C89; an
// intrinsic after `#pragma intrinsic`), and a C library routine the driver
// redeclares, are the system's, not the driver's: the bug after it is found.
// An undeclared routine with an ordinary name may be the driver's: unknown.
// (A separate input: gcc -Werror refuses implicit declarations.)
// RUN: %exit 1 -- %dmacheck %S/Inputs/implicit-declaration.c -- %mini -Wno-implicit-function-declaration | FileCheck %s --check-prefix=IMPLICIT
// IMPLICIT: implicit-declaration.c:11:3: warning: 'IoFreeAdapterChannel' frees the adapter channel while the transfer mapped by 'IoMapTransfer' at line 8 has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
// IMPLICIT-NOT: implicit-declaration.c:20:

// --verbose says which call silenced a transfer, and which routines stayed
// unknown.
// RUN: %exit 1 -- %dmacheck --verbose %s -- %mini 2> %t.err > /dev/null
// RUN: FileCheck %s --check-prefix=VERBOSE < %t.err
// VERBOSE: dmacheck: note: 1 routine(s) of the driver are called but defined in no analysed file; their DMA effects are unknown: HwFinish
