// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// hwdrv: a write split into operations of at most DMAHW_MAX_OPERATION bytes
// (from the shared property sheet's header). BUG: the flush is given the
// cursor, already advanced past the operation.
#include "hwdrv.h"

VOID HwDrvSplitWrite(PHWDRV_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG Remaining = MmGetMdlByteCount(Mdl);

  while (Remaining > 0) {
    ULONG Length =
        Remaining > DMAHW_MAX_OPERATION ? DMAHW_MAX_OPERATION : Remaining;
    PHYSICAL_ADDRESS Address = IoMapTransfer(
        Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
    WRITE_REGISTER_ULONG(Ext->Doorbell, (ULONG)Address.QuadPart);
    Va += Length;
    Remaining -= Length;
    IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                          TRUE);
  }
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
