// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// wdmclean: a polled bus-master read (built by wdmclean.vcxproj), correct:
// every path flushes the transfer before the map registers are freed.
#include "wdmclean.h"

NTSTATUS WdmCleanRead(PWDMCLEAN_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  PHYSICAL_ADDRESS Address;
  ULONG Spins;

  Address = IoMapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                          FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->Address, (ULONG)Address.QuadPart);
  WRITE_REGISTER_ULONG(&Ext->Regs->Length, Length);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, WDMCLEAN_CTL_START);
  for (Spins = 0; Spins < WDMCLEAN_POLL_LIMIT; Spins++) {
    if (READ_REGISTER_ULONG(&Ext->Regs->Status) & WDMCLEAN_STS_DONE)
      break;
    KeStallExecutionProcessor(10);
  }
  if (Spins == WDMCLEAN_POLL_LIMIT) {
    IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                          FALSE);
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
