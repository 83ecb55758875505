// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The file of stale.vcxproj that does exist. BUG: no flush before the map
// registers are freed.
#include <wdm.h>

VOID StaleDone(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
               ULONG MapRegisterCount);

VOID StaleDone(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
               ULONG MapRegisterCount) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG Length = MmGetMdlByteCount(Mdl);

  IoMapTransfer(Adapter, Mdl, MapRegisterBase, MmGetMdlVirtualAddress(Mdl),
                &Length, TRUE);
  IoFreeMapRegisters(Adapter, MapRegisterBase, MapRegisterCount);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
