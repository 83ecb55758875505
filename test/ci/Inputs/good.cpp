// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A C++ driver against the WDK: <wdm.h> inside extern "C", as C++ drivers
// include it.
extern "C" {
#include <wdm.h>
}

static ULONG Lengths[4];

VOID NoFlushBeforeCompletion(PDMA_ADAPTER Adapter, PIRP Irp,
                             PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Lengths[RTL_NUMBER_OF(Lengths) - 1] = Length;
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
