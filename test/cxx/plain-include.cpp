// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A C++ driver that includes <wdm.h> with no extern "C" of its own (the
// header has one): it parses with no flags, in C++ mode.
//
// RUN: %gxx-wdm %s && %gxx-wdm -DBUG_FLUSH_AFTER_FREE %s
// RUN: %exit 0 -- %dmacheck %s
// RUN: %both %s -- %cxx-wdm | count 0
// RUN: %both %s -- %cxx-wdm -DBUG_FLUSH_AFTER_FREE | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %exit 1 -- %dmacheck --extra-arg=-DBUG_FLUSH_AFTER_FREE %s | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include <wdm.h>

// Programs one polled transfer and waits for the device (C++: a reference to
// the adapter, nullptr, bool, static_cast).
static NTSTATUS PolledTransfer(PDMA_ADAPTER Adapter, PIRP Irp,
                               PVOID MapRegisterBase, ULONG MapRegisterCount,
                               volatile ULONG &Status) {
  const bool ToDevice = true;
  PMDL Mdl = Irp->MdlAddress;
  if (Mdl == nullptr)
    return STATUS_INVALID_PARAMETER;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  Ops->MapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, ToDevice);
  while ((Status & 1) == 0)
    KeStallExecutionProcessor(10);
#ifndef BUG_FLUSH_AFTER_FREE
  Ops->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, ToDevice);
  Ops->FreeMapRegisters(Adapter, MapRegisterBase, MapRegisterCount);
#else
  Ops->FreeMapRegisters(Adapter, MapRegisterBase, MapRegisterCount);
  Ops->FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, ToDevice);
  // CHECK: :[[@LINE-1]]:8: warning: 'FlushAdapterBuffers' is called after 'FreeMapRegisters' frees the map registers (line [[@LINE-2]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :24:8: note: transfer mapped here by 'MapTransfer'
#endif
  Irp->IoStatus.Status = STATUS_SUCCESS;
  Irp->IoStatus.Information = static_cast<ULONG_PTR>(Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return STATUS_SUCCESS;
}

NTSTATUS Transfer(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                  ULONG MapRegisterCount, volatile ULONG *Status) {
  return PolledTransfer(Adapter, Irp, MapRegisterBase, MapRegisterCount,
                        *Status);
}
