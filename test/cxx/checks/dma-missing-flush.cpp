// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-missing-flush in a C++ driver: the transfer's state is in members of
// the object, the calls go through m_Adapter->DmaOperations, helpers are
// methods, and the object is reached through `this`, a pointer or a
// reference.
//
// RUN: %gxx-wdm %s && %gxx-mini %s
// RUN: %both %s -- %cxx-wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

class CDmaChannel {
public:
  // ---- must fire ----
  void ErrorPathAfterMap(PIRP Irp);
  void ReleaseInHelperFirst(PIRP Irp);
  void CompletesThroughReference(PIRP Irp);
  // ---- must stay silent ----
  void FlushedByHelperMethod(PIRP Irp);
  void CorrelatedMemberFlag(PIRP Irp);
  void ErrorBeforeMap(PIRP Irp);
  void FinishedByVirtual(PIRP Irp);
  virtual void Finish(PIRP Irp);

private:
  void FreeRegisters();
  void FlushCurrent();
  static void Complete(CDmaChannel &Channel, PIRP Irp);
  PDMA_ADAPTER m_Adapter;
  PVOID m_MapRegisterBase;
  ULONG m_MapRegisterCount;
  PMDL m_Mdl;
  PUCHAR m_CurrentVa;
  ULONG m_Length;
  BOOLEAN m_WriteToDevice;
  BOOLEAN m_UseDma;
  TEST_REGS *m_Regs;
};

void CDmaChannel::FreeRegisters() {
  m_Adapter->DmaOperations->FreeMapRegisters(m_Adapter, m_MapRegisterBase,
                                             m_MapRegisterCount);
}

void CDmaChannel::FlushCurrent() {
  m_Adapter->DmaOperations->FlushAdapterBuffers(
      m_Adapter, m_Mdl, m_MapRegisterBase, m_CurrentVa, m_Length,
      m_WriteToDevice);
}

void CDmaChannel::Complete(CDmaChannel &Channel, PIRP Irp) {
  Channel.m_Adapter->DmaOperations->FreeMapRegisters(
      Channel.m_Adapter, Channel.m_MapRegisterBase, Channel.m_MapRegisterCount);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must fire -------------------------------------------------------------

// The device reports an error after the map: the error path completes the
// request without flushing.
void CDmaChannel::ErrorPathAfterMap(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_CurrentVa, &m_Length,
                                        m_WriteToDevice);
  WRITE_REGISTER_ULONG(&m_Regs->Control, 1);
  if (READ_REGISTER_ULONG(&m_Regs->Status) & DEVICE_ERROR) {
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'MapTransfer' at line [[@LINE-6]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
    // CHECK: :[[@LINE-7]]:29: note: transfer mapped here by 'MapTransfer'
    // CHECK: :[[@LINE-4]]:7: note: assuming 'READ_REGISTER_ULONG(&m_Regs->Status) & DEVICE_ERROR' is true
    return;
  }
  FlushCurrent();
  FreeRegisters();
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The helper method frees the map registers before anything flushed.
void CDmaChannel::ReleaseInHelperFirst(PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG Length = MmGetMdlByteCount(Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, Mdl, m_MapRegisterBase,
                                        MmGetMdlVirtualAddress(Mdl), &Length,
                                        TRUE);
  WRITE_REGISTER_ULONG(&m_Regs->Control, 1);
  FreeRegisters();
  // CHECK: :[[@LINE-1]]:3: warning: 'FreeRegisters' frees the map registers while the transfer mapped by 'MapTransfer' at line [[@LINE-5]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  // CHECK: :[[@LINE-6]]:29: note: transfer mapped here by 'MapTransfer'
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A static helper given the object by reference releases and completes.
void CDmaChannel::CompletesThroughReference(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_CurrentVa, &m_Length, FALSE);
  Complete(*this, Irp);
  // CHECK: :[[@LINE-1]]:3: warning: 'Complete' frees the map registers while the transfer mapped by 'MapTransfer' at line [[@LINE-3]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  // CHECK: :[[@LINE-4]]:29: note: transfer mapped here by 'MapTransfer'
}

// ---- must stay silent ------------------------------------------------------

// The helper method flushes the members the map was given.
void CDmaChannel::FlushedByHelperMethod(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_CurrentVa, &m_Length,
                                        m_WriteToDevice);
  WRITE_REGISTER_ULONG(&m_Regs->Control, 1);
  FlushCurrent();
  Complete(*this, Irp);
}

// Mapped and flushed under the same member flag, unchanged in between.
void CDmaChannel::CorrelatedMemberFlag(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  if (m_UseDma)
    m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                          m_CurrentVa, &m_Length,
                                          m_WriteToDevice);
  WRITE_REGISTER_ULONG(&m_Regs->Control, 1);
  if (m_UseDma)
    FlushCurrent();
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The error path leaves before anything was mapped.
void CDmaChannel::ErrorBeforeMap(PIRP Irp) {
  if (Irp->MdlAddress == NULL) {
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
  m_Mdl = Irp->MdlAddress;
  m_CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_CurrentVa, &m_Length, TRUE);
  FlushCurrent();
  FreeRegisters();
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A virtual method may be overridden by one that flushes: what happens in
// the override is not known here.
void CDmaChannel::FinishedByVirtual(PIRP Irp) {
  m_Mdl = Irp->MdlAddress;
  m_CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_CurrentVa, &m_Length, TRUE);
  Finish(Irp);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

void CDmaChannel::Finish(PIRP Irp) { UNREFERENCED_PARAMETER(Irp); }
