// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// wdmdma: a polled bus-master read (built by wdmdma.vcxproj). BUG: the
// timeout path frees the map registers and completes the IRP without
// flushing the transfer.
#include "wdmdma.h"

NTSTATUS WdmDmaRead(PWDMDMA_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  PHYSICAL_ADDRESS Address;
  ULONG Spins;

  Address = IoMapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                          FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Address, (ULONG)Address.QuadPart);
  WRITE_REGISTER_ULONG(&Ext->Regs->Length, Length);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, WDMDMA_CTL_START);
  for (Spins = 0; Spins < WDMDMA_POLL_LIMIT; Spins++) {
    if (READ_REGISTER_ULONG(&Ext->Regs->Status) & WDMDMA_STS_DONE)
      break;
    KeStallExecutionProcessor(10);
  }
  if (Spins == WDMDMA_POLL_LIMIT) {
    IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase,
                       Ext->MapRegisterCount);
    Irp->IoStatus.Status = STATUS_IO_TIMEOUT;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_IO_TIMEOUT;
  }
  IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        FALSE);
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
  Irp->IoStatus.Status = STATUS_SUCCESS;
  Irp->IoStatus.Information = Length;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return STATUS_SUCCESS;
}
