// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Compiled by malformed.vcxproj, which cannot be read: never analysed.
// (BUG: no flush before completion, so that a run that did analyse it
// would say so.)
#include <wdm.h>

VOID MalformedDone(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase);

VOID MalformedDone(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG Length = MmGetMdlByteCount(Mdl);

  IoMapTransfer(Adapter, Mdl, MapRegisterBase, MmGetMdlVirtualAddress(Mdl),
                &Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
