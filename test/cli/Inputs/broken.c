// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmatest.h"

VOID Broken(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, NULL, NULL, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
