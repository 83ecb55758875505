// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dmaa: the solution's first driver. BUG: the map registers are freed
// before the flush.
#include "dmacommon.h"

VOID DmaADone(PDMACOMMON_EXTENSION Ext, PIRP Irp);

VOID DmaADone(PDMACOMMON_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);

  IoMapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
  IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
