// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Compile errors inside a function body leave RecoveryExprs and invalid
// declarations in the AST: that function is not analysed, the others are.
#include "dmatest.h"

VOID WrongArity(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, NULL, &Length, TRUE);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase);
  UndeclaredThing(Mdl);
}

VOID Valid(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

struct Incomplete Broken(struct Incomplete X) { return X; }
