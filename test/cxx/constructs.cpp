// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// C++ constructs around DMA code: what dmacheck analyses (namespaces,
// extern "C", classes defined inline, friends, default arguments,
// temporaries, operators) and what it treats as unknown (templates, lambdas,
// virtual calls, pointers to members), with the bug each would hide or show.
// Nothing here may crash, hang or be reported without proof.
//
// RUN: %gxx-wdm %s && %gxx-mini %s
// RUN: %both %s -- %cxx-wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

namespace driver {
namespace {

// Defined inside its class, in a namespace: analysed.
class CInline {
public:
  VOID NoFlush(PIRP Irp) {
    PMDL Mdl = Irp->MdlAddress;
    ULONG Length = MmGetMdlByteCount(Mdl);
    m_Adapter->DmaOperations->MapTransfer(m_Adapter, Mdl, m_Base,
                                          MmGetMdlVirtualAddress(Mdl), &Length,
                                          TRUE);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'MapTransfer' at line [[@LINE-4]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  }
  // A default argument gives the direction.
  VOID Flush(PMDL Mdl, PVOID Va, ULONG Length, BOOLEAN Write = TRUE) {
    m_Adapter->DmaOperations->FlushAdapterBuffers(m_Adapter, Mdl, m_Base, Va,
                                                  Length, Write);
  }
  VOID DefaultDirection(PIRP Irp) {
    PMDL Mdl = Irp->MdlAddress;
    PVOID Va = MmGetMdlVirtualAddress(Mdl);
    ULONG Length = MmGetMdlByteCount(Mdl);
    m_Adapter->DmaOperations->MapTransfer(m_Adapter, Mdl, m_Base, Va, &Length,
                                          FALSE);
    Flush(Mdl, Va, Length);
    // CHECK: :[[@LINE-1]]:5: warning: 'Flush' is passed WriteToDevice 'TRUE', but 'MapTransfer' at line [[@LINE-3]] mapped the transfer with 'FALSE' [dma-flush-arg-mismatch]
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
  VOID DefaultMatches(PIRP Irp) {
    PMDL Mdl = Irp->MdlAddress;
    PVOID Va = MmGetMdlVirtualAddress(Mdl);
    ULONG Length = MmGetMdlByteCount(Mdl);
    m_Adapter->DmaOperations->MapTransfer(m_Adapter, Mdl, m_Base, Va, &Length,
                                          TRUE);
    Flush(Mdl, Va, Length);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
  // A friend defined in the class is the driver's function too.
  friend VOID FriendNoFlush(CInline &Self, PIRP Irp) {
    PMDL Mdl = Irp->MdlAddress;
    ULONG Length = MmGetMdlByteCount(Mdl);
    Self.m_Adapter->DmaOperations->MapTransfer(
        Self.m_Adapter, Mdl, Self.m_Base, MmGetMdlVirtualAddress(Mdl), &Length,
        TRUE);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    // CHECK: :[[@LINE-1]]:5: warning: 'IoCompleteRequest' completes the IRP while the transfer mapped by 'MapTransfer' at line [[@LINE-4]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  }

private:
  PDMA_ADAPTER m_Adapter;
  PVOID m_Base;
};

} // namespace
} // namespace driver

// A template is not analysed: its instantiations' types are not known here.
template <typename T> class CTemplated {
public:
  VOID NoFlush(PIRP Irp) {
    PMDL Mdl = Irp->MdlAddress;
    ULONG Length = MmGetMdlByteCount(Mdl);
    m_Adapter->DmaOperations->MapTransfer(m_Adapter, Mdl, m_Base,
                                          MmGetMdlVirtualAddress(Mdl), &Length,
                                          TRUE);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  }
  T m_Tag;
  PDMA_ADAPTER m_Adapter;
  PVOID m_Base;
};
template class CTemplated<int>;

class CVirtual {
public:
  virtual VOID Finish(PMDL Mdl, PVOID Va, ULONG Length);
  VOID Transfer(PIRP Irp);
  VOID ThroughLambda(PIRP Irp);
  VOID ThroughMemberPointer(PIRP Irp, VOID (CVirtual::*Finisher)(PMDL, PVOID, ULONG));
  PDMA_ADAPTER m_Adapter;
  PVOID m_Base;
};

VOID CVirtual::Finish(PMDL Mdl, PVOID Va, ULONG Length) {
  UNREFERENCED_PARAMETER(Mdl);
  UNREFERENCED_PARAMETER(Va);
  UNREFERENCED_PARAMETER(Length);
}

// An override of Finish may flush: unknown, silent.
VOID CVirtual::Transfer(PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, Mdl, m_Base, Va, &Length,
                                        TRUE);
  Finish(Mdl, Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The lambda flushes what it captured: the flush is not misread as one of
// other values, and no missing flush is reported after it.
VOID CVirtual::ThroughLambda(PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, Mdl, m_Base, Va, &Length,
                                        TRUE);
  auto FlushIt = [&]() {
    m_Adapter->DmaOperations->FlushAdapterBuffers(m_Adapter, Mdl, m_Base, Va,
                                                  Length, TRUE);
  };
  FlushIt();
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// Through a pointer to a member function: unknown, silent.
VOID CVirtual::ThroughMemberPointer(PIRP Irp,
                                    VOID (CVirtual::*Finisher)(PMDL, PVOID,
                                                               ULONG)) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, Mdl, m_Base, Va, &Length,
                                        TRUE);
  (this->*Finisher)(Mdl, Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// extern "C" routines in a C++ file are analysed.
extern "C" {
VOID CStyleNoFlush(PDMA_ADAPTER Adapter, PIRP Irp, PVOID Base) {
  PMDL Mdl = Irp->MdlAddress;
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Base,
                                      MmGetMdlVirtualAddress(Mdl), &Length,
                                      TRUE);
  Adapter->DmaOperations->FreeMapRegisters(Adapter, Base, 1);
  // CHECK: :[[@LINE-1]]:27: warning: 'FreeMapRegisters' frees the map registers while the transfer mapped by 'MapTransfer' at line [[@LINE-4]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
}
