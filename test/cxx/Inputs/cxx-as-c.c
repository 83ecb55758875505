/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* C++ in a .c file (some driver trees name C++ sources .c and build them
   with -x c++ or /TP): extern "C" is C++ only. */
extern "C" {
#include <wdm.h>
}

VOID Completes(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
#ifndef BUG_NO_FLUSH
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
#endif
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
