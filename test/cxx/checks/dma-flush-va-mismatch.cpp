// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-va-mismatch in a C++ driver: a split loop in a method whose
// cursor is a member, a helper method that flushes the cursor, and the
// look-alikes that keep the operation's first CurrentVa.
//
// RUN: %gxx-wdm %s && %gxx-mini %s
// RUN: %both %s -- %cxx-wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

class CPolledChannel {
public:
  VOID SplitLoopFlushesCursor(PIRP Irp);
  VOID HelperFlushesAdvancedCursor(PIRP Irp);
  VOID SplitLoopKeepsStart(PIRP Irp);
  VOID HelperFlushesStart(PIRP Irp);
  VOID CursorAdvancedAfterFlush(PIRP Irp);

private:
  VOID WaitForDevice();
  VOID FlushPiece(PVOID Va, ULONG Length);
  PDMA_ADAPTER m_Adapter;
  PVOID m_MapRegisterBase;
  PMDL m_Mdl;
  PUCHAR m_Cursor;
  PUCHAR m_Start;
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
                                                TRUE);
}

// ---- must fire -------------------------------------------------------------

// The loop advances the member cursor past the piece, then flushes it.
VOID CPolledChannel::SplitLoopFlushesCursor(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Cursor = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Remaining = MmGetMdlByteCount(m_Mdl);
  while (m_Remaining != 0) {
    ULONG Length = m_Remaining;
    m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                          m_Cursor, &Length, TRUE);
    WaitForDevice();
    m_Cursor += Length;
    m_Remaining -= Length;
    m_Adapter->DmaOperations->FlushAdapterBuffers(
        m_Adapter, m_Mdl, m_MapRegisterBase, m_Cursor, Length, TRUE);
    // CHECK: :[[@LINE-1]]:46: warning: 'FlushAdapterBuffers' is passed 'm_Cursor', which was advanced after 'MapTransfer' (line [[@LINE-4]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line [[@LINE-7]] ('m_Cursor') [dma-flush-va-mismatch]
    // CHECK: :[[@LINE-8]]:31: note: transfer mapped here by 'MapTransfer'
    // CHECK: :[[@LINE-8]]:43: note: initial CurrentVa 'm_Cursor' mapped here
    // CHECK: :[[@LINE-7]]:5: note: 'm_Cursor' advanced here
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The helper method is handed the cursor after it moved on.
VOID CPolledChannel::HelperFlushesAdvancedCursor(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Cursor = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  ULONG Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Cursor, &Length, TRUE);
  WaitForDevice();
  m_Cursor += Length;
  FlushPiece(m_Cursor, Length);
  // CHECK: :[[@LINE-1]]:14: warning: 'FlushPiece' is passed 'm_Cursor', which was advanced after 'MapTransfer' (line [[@LINE-2]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line [[@LINE-5]] ('m_Cursor') [dma-flush-va-mismatch]
  // CHECK: :[[@LINE-6]]:29: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-6]]:41: note: initial CurrentVa 'm_Cursor' mapped here
  // CHECK: :[[@LINE-5]]:3: note: 'm_Cursor' advanced here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// The loop keeps the piece's first CurrentVa in a member and flushes that.
VOID CPolledChannel::SplitLoopKeepsStart(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Cursor = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Remaining = MmGetMdlByteCount(m_Mdl);
  while (m_Remaining != 0) {
    ULONG Length = m_Remaining;
    m_Start = m_Cursor;
    m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                          m_Cursor, &Length, TRUE);
    WaitForDevice();
    m_Cursor += Length;
    m_Remaining -= Length;
    m_Adapter->DmaOperations->FlushAdapterBuffers(
        m_Adapter, m_Mdl, m_MapRegisterBase, m_Start, Length, TRUE);
  }
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The helper method is handed the first CurrentVa.
VOID CPolledChannel::HelperFlushesStart(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  ULONG Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        Va, &Length, TRUE);
  WaitForDevice();
  FlushPiece(Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The cursor moves on only after the flush.
VOID CPolledChannel::CursorAdvancedAfterFlush(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_Cursor = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  ULONG Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Cursor, &Length, TRUE);
  WaitForDevice();
  FlushPiece(m_Cursor, Length);
  m_Cursor += Length;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
