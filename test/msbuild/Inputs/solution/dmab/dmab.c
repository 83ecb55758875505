// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dmab: the solution's second driver. Its Debug configuration defines
// DMAB_CHECKED, which compiles the BUG: a check that completes the IRP with
// the transfer still mapped.
#include "dmacommon.h"

VOID DmaBDone(PDMACOMMON_EXTENSION Ext, PIRP Irp);

VOID DmaBDone(PDMACOMMON_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);

  IoMapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length, FALSE);
#ifdef DMAB_CHECKED
  if (READ_REGISTER_ULONG(Ext->Status) == 0xFFFFFFFF) {
    Irp->IoStatus.Status = STATUS_IO_DEVICE_ERROR;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
#endif
  IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        FALSE);
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
