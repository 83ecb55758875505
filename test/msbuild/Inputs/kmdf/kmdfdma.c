// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// kmdfdma: a KMDF driver's legacy DMA path, built by kmdfdma.vcxproj. It
// includes <wdf.h>, which the WDK toolset puts on a KMDF driver's include
// path (the KMDF version the project names). BUG: no flush before the map
// registers are freed.
#include <wdm.h>
#include <wdf.h>

#if KMDF_TEST_VERSION_MINOR != KMDFDMA_EXPECTED_MINOR
#error "the project's KMDF_VERSION_MINOR chooses wdf.h"
#endif

VOID KmdfDmaDone(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                 ULONG MapRegisterCount);

VOID KmdfDmaDone(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                 ULONG MapRegisterCount) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);

  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoFreeMapRegisters(Adapter, MapRegisterBase, MapRegisterCount);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
