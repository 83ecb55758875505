// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmatest.h"

VOID MyMap(PDEVICE_EXTENSION Ext, PVOID Va, PULONG Length);
VOID MyFlush(PDEVICE_EXTENSION Ext, PVOID Va, ULONG Length);

// Found through the rules file named in .clang-tidy.
VOID UsesWrappers(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PUCHAR Va = Ext->StartVa;
  ULONG Length = Ext->Length;
  MyMap(Ext, Va, &Length);
  Va += Length;
  MyFlush(Ext, Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// dma-flush-arg-mismatch is disabled by .clang-tidy.
VOID DirectionFlipped(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
