// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmatest.h"
VOID ImplicitlyDeclared(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  _disable_interrupts_for(Ext);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}
