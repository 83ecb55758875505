// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// NOLINT, NOLINTNEXTLINE and NOLINTBEGIN/NOLINTEND silence a dma-* finding at
// its primary location, in the CLI exactly as in clang-tidy.
//
// RUN: %gcc-wdm %s
// RUN: %both %s -- %wdm | FileCheck %s --implicit-check-not="warning:"
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

// NOLINTBEGIN(dma-*)
VOID InsideRegion(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
// NOLINTEND(dma-*)

// After the region: reported again.
VOID AfterRegion(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoFlushAdapterBuffers' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-2]]); flush before completing the IRP [dma-flush-order]
}

// A bare NOLINT silences every check on its line.
VOID BareNolint(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE); // NOLINT
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
