// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-arg-mismatch in a C++ driver: the flush is given an MDL member
// that moved on, or the other direction than the map; the look-alikes give the same
// members, or take the direction from the same member on both calls.
//
// RUN: %gxx-wdm %s && %gxx-mini %s
// RUN: %both %s -- %cxx-wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

struct DMA_STATE {
  PMDL Mdl;
  PVOID Va;
  ULONG Length;
  BOOLEAN WriteToDevice;
};

class CChannel {
public:
  VOID FlushesNextMdl(PIRP Irp);
  VOID DirectionFlippedThroughReference(PIRP Irp);
  VOID SameMembers(PIRP Irp);
  VOID DirectionFromState(PIRP Irp, BOOLEAN Write);

private:
  static VOID FlushState(CChannel &Channel, const DMA_STATE &State,
                         BOOLEAN WriteToDevice);
  PDMA_ADAPTER m_Adapter;
  PVOID m_MapRegisterBase;
  PMDL m_Mdl;
  DMA_STATE m_State;
};

VOID CChannel::FlushState(CChannel &Channel, const DMA_STATE &State,
                          BOOLEAN WriteToDevice) {
  Channel.m_Adapter->DmaOperations->FlushAdapterBuffers(
      Channel.m_Adapter, State.Mdl, Channel.m_MapRegisterBase, State.Va,
      State.Length, WriteToDevice);
}

// ---- must fire -------------------------------------------------------------

// The member cursor over an array of MDLs moves on before the flush.
VOID CChannel::FlushesNextMdl(PIRP Irp) {
  UNREFERENCED_PARAMETER(Irp);
  PVOID Va = MmGetMdlVirtualAddress(m_Mdl);
  ULONG Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        Va, &Length, TRUE);
  m_Mdl++;
  m_Adapter->DmaOperations->FlushAdapterBuffers(
      m_Adapter, m_Mdl, m_MapRegisterBase, Va, Length, TRUE);
  // CHECK: :[[@LINE-1]]:18: warning: 'FlushAdapterBuffers' is passed the Mdl 'm_Mdl', which changed after 'MapTransfer' at line [[@LINE-5]] mapped the transfer with it [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-6]]:29: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-7]]:52: note: the Mdl 'm_Mdl' given to the map here
  // CHECK: :[[@LINE-6]]:3: note: 'm_Mdl' changed here
}

// The static helper, given the object and its state by reference, is
// handed the other direction.
VOID CChannel::DirectionFlippedThroughReference(PIRP Irp) {
  m_State.Mdl = Irp->MdlAddress;
  m_State.Va = MmGetMdlVirtualAddress(m_State.Mdl);
  m_State.Length = MmGetMdlByteCount(m_State.Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_State.Mdl,
                                        m_MapRegisterBase, m_State.Va,
                                        &m_State.Length, TRUE);
  FlushState(*this, m_State, FALSE);
  // CHECK: :[[@LINE-1]]:30: warning: 'FlushState' is passed WriteToDevice 'FALSE', but 'MapTransfer' at line [[@LINE-4]] mapped the transfer with 'TRUE' [dma-flush-arg-mismatch]
  // CHECK: :[[@LINE-5]]:29: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-4]]:58: note: WriteToDevice 'TRUE' given to the map here
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

VOID CChannel::SameMembers(PIRP Irp) {
  m_State.Mdl = Irp->MdlAddress;
  m_State.Va = MmGetMdlVirtualAddress(m_State.Mdl);
  m_State.Length = MmGetMdlByteCount(m_State.Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_State.Mdl,
                                        m_MapRegisterBase, m_State.Va,
                                        &m_State.Length, TRUE);
  FlushState(*this, m_State, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The direction is stored once and given to both calls.
VOID CChannel::DirectionFromState(PIRP Irp, BOOLEAN Write) {
  m_State.Mdl = Irp->MdlAddress;
  m_State.Va = MmGetMdlVirtualAddress(m_State.Mdl);
  m_State.Length = MmGetMdlByteCount(m_State.Mdl);
  m_State.WriteToDevice = Write;
  m_Adapter->DmaOperations->MapTransfer(
      m_Adapter, m_State.Mdl, m_MapRegisterBase, m_State.Va, &m_State.Length,
      m_State.WriteToDevice);
  FlushState(*this, m_State, m_State.WriteToDevice);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
