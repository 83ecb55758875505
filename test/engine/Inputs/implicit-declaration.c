// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmatest.h"
int swprintf(unsigned short *Buffer, const unsigned short *Format, ...);
VOID ImplicitlyDeclared(PDEVICE_EXTENSION Ext, PIRP Irp, unsigned short *Name) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  _disable_interrupts_for(Ext);
  swprintf(Name, Name, Ext);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}

VOID UndeclaredDriverRoutine(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  XxFinishTransfer(Ext);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}
