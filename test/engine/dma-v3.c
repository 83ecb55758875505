// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// DMA v3 (Windows 8+): MapTransferEx / FlushAdapterBuffersEx through the
// operations table. mingw-w64's wdm.h lacks them, so this file uses the tiny
// header only.
//
// RUN: %gcc-mini %s
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

// The offset moved on before the flush.
VOID V3OffsetAdvanced(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  ULONGLONG Offset = 0;
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransferEx(Adapter, Mdl, MapRegisterBase, Offset,
                                        0, &Length, TRUE, NULL, 0, NULL, NULL);
  Offset += Length;
  Adapter->DmaOperations->FlushAdapterBuffersEx(Adapter, Mdl, MapRegisterBase,
                                                Offset, Length, TRUE);
  // CHECK: :[[@LINE-1]]:49: warning: 'FlushAdapterBuffersEx' is passed 'Offset', which was advanced after 'MapTransferEx' (line [[@LINE-3]]); the flush needs the initial CurrentVa given to 'MapTransferEx' at line [[@LINE-5]] ('Offset') [dma-flush-va-mismatch]
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// No flush before the completion.
VOID V3NoFlush(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransferEx(Adapter, Mdl, MapRegisterBase, 0, 0,
                                        &Length, FALSE, NULL, 0, NULL, NULL);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  // CHECK: :[[@LINE-1]]:3: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'MapTransferEx' at line [[@LINE-3]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
}

// Correct: flushed with the offset and length it mapped.
VOID V3Correct(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransferEx(Adapter, Mdl, MapRegisterBase, 0, 0,
                                        &Length, FALSE, NULL, 0, NULL, NULL);
  Adapter->DmaOperations->FlushAdapterBuffersEx(Adapter, Mdl, MapRegisterBase,
                                                0, Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
