// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-length-mismatch in a C++ driver: the member counter a split loop
// runs down, flushed in its place; and the look-alikes that flush the
// piece's length or the operation's total.
//
// RUN: %gxx-wdm %s && %gxx-mini %s
// RUN: %both %s -- %cxx-wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

class CPolledChannel {
public:
  VOID FlushesRemaining(PIRP Irp);
  VOID HelperGivenRemaining(PIRP Irp);
  VOID FlushesPieceLength(PIRP Irp);
  VOID FlushesMappedMember(PIRP Irp);
  VOID CounterRunDownAfterFlush(PIRP Irp);

private:
  VOID WaitForDevice();
  VOID FlushPiece(PVOID Va, ULONG Length);
  PDMA_ADAPTER m_Adapter;
  PVOID m_MapRegisterBase;
  PMDL m_Mdl;
  PUCHAR m_Va;
  ULONG m_Length;
  ULONG m_Remaining;
  TEST_REGS *m_Regs;
};

VOID CPolledChannel::WaitForDevice() {
  WRITE_REGISTER_ULONG(&m_Regs->Control, 1);
  while (!(READ_REGISTER_ULONG(&m_Regs->Status) & DEVICE_DONE))
    KeStallExecutionProcessor(10);
}

VOID CPolledChannel::FlushPiece(PVOID Va, ULONG Length) {
  m_Adapter->DmaOperations->FlushAdapterBuffers(m_Adapter, m_Mdl,
                                                m_MapRegisterBase, Va, Length,
                                                FALSE);
}

// ---- must fire -------------------------------------------------------------

// The request was all that was left; the member counter is run down after
// the map and flushed instead of the piece.
VOID CPolledChannel::FlushesRemaining(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Va = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Remaining = MmGetMdlByteCount(m_Mdl);
  ULONG Length = m_Remaining;
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Va, &Length, FALSE);
  WaitForDevice();
  m_Remaining -= Length;
  m_Adapter->DmaOperations->FlushAdapterBuffers(
      m_Adapter, m_Mdl, m_MapRegisterBase, m_Va, m_Remaining, FALSE);
  // CHECK: :[[@LINE-1]]:50: warning: 'FlushAdapterBuffers' is passed 'm_Remaining' as Length, which was decremented after 'MapTransfer' (line [[@LINE-3]]); the flush needs the length of this transfer ('Length') [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-7]]:29: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-7]]:48: note: length 'Length' mapped here
  // CHECK: :[[@LINE-6]]:3: note: 'm_Remaining' decremented here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The helper method is given the counter.
VOID CPolledChannel::HelperGivenRemaining(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Va = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Remaining = MmGetMdlByteCount(m_Mdl);
  m_Length = m_Remaining;
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Va, &m_Length, FALSE);
  WaitForDevice();
  m_Remaining -= m_Length;
  FlushPiece(m_Va, m_Remaining);
  // CHECK: :[[@LINE-1]]:20: warning: 'FlushPiece' is passed 'm_Remaining' as Length, which was decremented after 'MapTransfer' (line [[@LINE-2]]); the flush needs the length of this transfer as given to 'MapTransfer' at line [[@LINE-5]] ('m_Length') [dma-flush-length-mismatch]
  // CHECK: :[[@LINE-6]]:29: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-6]]:48: note: length 'm_Length' mapped here
  // CHECK: :[[@LINE-5]]:3: note: 'm_Remaining' decremented here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// The piece's length, as MapTransfer returned it.
VOID CPolledChannel::FlushesPieceLength(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Va = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Remaining = MmGetMdlByteCount(m_Mdl);
  ULONG Length = m_Remaining;
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Va, &Length, FALSE);
  WaitForDevice();
  m_Remaining -= Length;
  FlushPiece(m_Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The member MapTransfer wrote the mapped length into.
VOID CPolledChannel::FlushesMappedMember(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Va = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Va, &m_Length, FALSE);
  WaitForDevice();
  m_Adapter->DmaOperations->FlushAdapterBuffers(
      m_Adapter, m_Mdl, m_MapRegisterBase, m_Va, m_Length, FALSE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The counter is run down only after the flush of what it requested.
VOID CPolledChannel::CounterRunDownAfterFlush(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Va = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Remaining = MmGetMdlByteCount(m_Mdl);
  ULONG Length = m_Remaining;
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Va, &Length, FALSE);
  WaitForDevice();
  FlushPiece(m_Va, m_Remaining);
  m_Remaining -= Length;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
