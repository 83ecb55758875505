// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Inside clang-tidy, NOLINT / NOLINTNEXTLINE silence a dma-* finding at its
// primary location, like any clang-tidy check.
//
// RUN: %gcc-wdm %s
// RUN: %clang-tidy --load=%tidy-plugin --checks='-*,dma-*' --quiet %s -- %wdm 2>/dev/null | FileCheck %s --implicit-check-not="warning:"
#include "dmatest.h"

VOID Suppressed(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT); // NOLINT(dma-missing-flush)
}

VOID SuppressedNextLine(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  // NOLINTNEXTLINE(dma-missing-flush)
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Suppressing another check leaves this one reported.
VOID OtherCheckSuppressed(PDMA_ADAPTER Adapter, PIRP Irp,
                          PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT); // NOLINT(dma-flush-order)
  // CHECK: :[[@LINE-1]]:3: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'IoMapTransfer' at line [[@LINE-2]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
}
