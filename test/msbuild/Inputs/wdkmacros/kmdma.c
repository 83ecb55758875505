// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// kmdma: a read completed from one routine, built by kmdma.vcxproj, which
// names the WDK's include directories by their macros. BUG: the error path
// completes the IRP before the flush.
#include "kmdma.h"

VOID KmDmaComplete(PKMDMA_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);

  IoMapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
  if (READ_REGISTER_ULONG(Ext->Status) != 0) {
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        FALSE);
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
  Irp->IoStatus.Status = STATUS_SUCCESS;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
