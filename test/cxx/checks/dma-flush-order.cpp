// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-order in a C++ driver: the flush comes after a method released
// the map registers or completed the request; the look-alikes release after
// the flush, or on exclusive paths.
//
// RUN: %gxx-wdm %s && %gxx-mini %s
// RUN: %both %s -- %cxx-wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

class CChannel {
public:
  VOID FlushAfterRelease(PIRP Irp);
  VOID FlushAfterCompletion(PIRP Irp);
  VOID ReleaseAfterFlush(PIRP Irp);
  VOID ExclusivePaths(PIRP Irp, BOOLEAN Abort);

private:
  VOID Map(PIRP Irp);
  VOID Flush();
  VOID Release();
  PDMA_ADAPTER m_Adapter;
  PVOID m_MapRegisterBase;
  ULONG m_MapRegisterCount;
  PMDL m_Mdl;
  PVOID m_Va;
  ULONG m_Length;
};

VOID CChannel::Map(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Va = MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Va, &m_Length, TRUE);
}

VOID CChannel::Flush() {
  m_Adapter->DmaOperations->FlushAdapterBuffers(
      m_Adapter, m_Mdl, m_MapRegisterBase, m_Va, m_Length, TRUE);
}

VOID CChannel::Release() {
  m_Adapter->DmaOperations->FreeMapRegisters(m_Adapter, m_MapRegisterBase,
                                             m_MapRegisterCount);
}

// ---- must fire -------------------------------------------------------------

// The helper method frees the map registers; the flush comes after.
VOID CChannel::FlushAfterRelease(PIRP Irp) {
  Map(Irp);
  Release();
  Flush();
  // CHECK: :[[@LINE-1]]:3: warning: 'Flush' is called after 'Release' frees the map registers (line [[@LINE-2]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :34:29: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-4]]:3: note: released here, before the flush
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The request is completed before its data was flushed.
VOID CChannel::FlushAfterCompletion(PIRP Irp) {
  Map(Irp);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  m_Adapter->DmaOperations->FlushAdapterBuffers(
      m_Adapter, m_Mdl, m_MapRegisterBase, m_Va, m_Length, TRUE);
  // CHECK: :[[@LINE-2]]:29: warning: 'FlushAdapterBuffers' is called after 'IoCompleteRequest' completes the IRP (line [[@LINE-3]]); flush before completing the IRP [dma-flush-order]
  // CHECK: :34:29: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-5]]:3: note: IRP completed here, before the flush
  Release();
}

// ---- must stay silent ------------------------------------------------------

VOID CChannel::ReleaseAfterFlush(PIRP Irp) {
  Map(Irp);
  Flush();
  Release();
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The abort path releases without mapping; the other maps, flushes, then
// releases.
VOID CChannel::ExclusivePaths(PIRP Irp, BOOLEAN Abort) {
  if (Abort) {
    Release();
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  Map(Irp);
  Flush();
  Release();
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
