// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "split.h"

IO_ALLOCATION_ACTION NTAPI SplitControl(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                        PVOID MapRegisterBase, PVOID Context) {
  PSPLIT_EXT ext = Context;
  UNREFERENCED_PARAMETER(DeviceObject);
  ext->MapRegisterBase = MapRegisterBase;
  ext->Mdl = Irp->MdlAddress;
  ext->StartVa = MmGetMdlVirtualAddress(ext->Mdl);
  ext->Length = MmGetMdlByteCount(ext->Mdl);
  IoMapTransfer(ext->Adapter, ext->Mdl, MapRegisterBase, ext->StartVa,
                &ext->Length, FALSE);
  return DeallocateObjectKeepRegisters;
}

VOID NTAPI SplitDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2) {
  PSPLIT_EXT ext = Context;
  UNREFERENCED_PARAMETER(Dpc);
  UNREFERENCED_PARAMETER(Arg1);
  UNREFERENCED_PARAMETER(Arg2);
#ifndef SPLIT_BUG
  IoFlushAdapterBuffers(ext->Adapter, ext->Mdl, ext->MapRegisterBase,
                        ext->StartVa, ext->Length, FALSE);
#endif
  IoFreeMapRegisters(ext->Adapter, ext->MapRegisterBase, 1);
  IoCompleteRequest(ext->Irp, IO_NO_INCREMENT);
}
