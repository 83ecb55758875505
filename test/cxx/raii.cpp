// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// C++ objects whose destructors release: the destructor runs where the
// object leaves its scope (a return, the closing brace), and what its
// constructor stored is what it releases. RAII-free code is in the other
// files of this directory.
//
// RUN: %gxx-wdm %s && %gxx-mini %s
// RUN: %both %s -- %cxx-wdm | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini | FileCheck %s --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

// Holds map registers for a scope and frees them when it ends.
class CMapRegisters {
public:
  CMapRegisters(PDMA_ADAPTER Adapter, PVOID Base, ULONG Count)
      : m_Adapter(Adapter), m_Base(Base), m_Count(Count) {}
  ~CMapRegisters() {
    m_Adapter->DmaOperations->FreeMapRegisters(m_Adapter, m_Base, m_Count);
  }

private:
  PDMA_ADAPTER m_Adapter;
  PVOID m_Base;
  ULONG m_Count;
};

// Stops the device when the scope ends: nothing to do with DMA.
class CDeviceStopper {
public:
  explicit CDeviceStopper(TEST_REGS *Regs) : m_Regs(Regs) {}
  ~CDeviceStopper() { WRITE_REGISTER_ULONG(&m_Regs->Control, 0); }

private:
  TEST_REGS *m_Regs;
};

// One mapped operation that flushes and frees its map registers when it
// ends, however the scope is left.
class CMappedOperation {
public:
  CMappedOperation(PDMA_ADAPTER Adapter, PMDL Mdl, PVOID Base, ULONG Count,
                   BOOLEAN WriteToDevice)
      : m_Adapter(Adapter), m_Mdl(Mdl), m_Base(Base), m_Count(Count),
        m_WriteToDevice(WriteToDevice) {
    m_Va = MmGetMdlVirtualAddress(Mdl);
    m_Length = MmGetMdlByteCount(Mdl);
  }
  VOID Map() {
    m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_Base, m_Va,
                                          &m_Length, m_WriteToDevice);
  }
  ~CMappedOperation() {
    m_Adapter->DmaOperations->FlushAdapterBuffers(
        m_Adapter, m_Mdl, m_Base, m_Va, m_Length, m_WriteToDevice);
    m_Adapter->DmaOperations->FreeMapRegisters(m_Adapter, m_Base, m_Count);
  }

private:
  PDMA_ADAPTER m_Adapter;
  PMDL m_Mdl;
  PVOID m_Base;
  ULONG m_Count;
  BOOLEAN m_WriteToDevice;
  PVOID m_Va;
  ULONG m_Length;
};

// ---- must fire -------------------------------------------------------------

// The error return leaves the scope before the flush: the destructor frees
// the map registers of a transfer that was never flushed.
VOID EarlyReturnFreesUnflushed(PDMA_ADAPTER Adapter, PIRP Irp, PVOID Base,
                               ULONG Count, TEST_REGS *Regs) {
  CMapRegisters Registers(Adapter, Base, Count);
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Base, Va, &Length, TRUE);
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR)
    return;
  // CHECK: :[[@LINE-1]]:5: warning: '~CMapRegisters' frees the map registers while the transfer mapped by 'MapTransfer' at line [[@LINE-4]] has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  // CHECK: :[[@LINE-5]]:27: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-4]]:7: note: assuming 'READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR' is true
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Base, Va, Length,
                                              TRUE);
}

// The registers' scope closes before the flush.
VOID FlushAfterScope(PDMA_ADAPTER Adapter, PIRP Irp, PVOID Base, ULONG Count) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  {
    CMapRegisters Registers(Adapter, Base, Count);
    Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Base, Va, &Length,
                                        FALSE);
  }
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Base, Va, Length,
                                              FALSE);
  // CHECK: :[[@LINE-2]]:27: warning: 'FlushAdapterBuffers' is called after '~CMapRegisters' frees the map registers (line [[@LINE-3]]); flush before releasing the map registers [dma-flush-order]
  // CHECK: :[[@LINE-6]]:29: note: transfer mapped here by 'MapTransfer'
  // CHECK: :[[@LINE-5]]:3: note: released here, before the flush
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// ---- must stay silent ------------------------------------------------------

// Mapped, flushed, then the scope ends and the registers are freed.
VOID FlushedBeforeScopeEnds(PDMA_ADAPTER Adapter, PIRP Irp, PVOID Base,
                            ULONG Count) {
  CMapRegisters Registers(Adapter, Base, Count);
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Base, Va, &Length, TRUE);
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Base, Va, Length,
                                              TRUE);
}

// The error return comes before anything was mapped.
VOID ErrorBeforeMap(PDMA_ADAPTER Adapter, PIRP Irp, PVOID Base, ULONG Count) {
  CMapRegisters Registers(Adapter, Base, Count);
  PMDL Mdl = Irp->MdlAddress;
  if (Mdl == NULL)
    return;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Base, Va, &Length, TRUE);
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Base, Va, Length,
                                              TRUE);
}

// The operation's destructor flushes and frees on every way out.
VOID DestructorFlushes(PDMA_ADAPTER Adapter, PIRP Irp, PVOID Base,
                       ULONG Count, TEST_REGS *Regs) {
  CMappedOperation Operation(Adapter, Irp->MdlAddress, Base, Count, TRUE);
  Operation.Map();
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  if (READ_REGISTER_ULONG(&Regs->Status) & DEVICE_ERROR)
    return;
  KeStallExecutionProcessor(10);
}

// A destructor with nothing to do with DMA changes nothing.
VOID StopperAroundTransfer(PDMA_ADAPTER Adapter, PIRP Irp, PVOID Base,
                           TEST_REGS *Regs) {
  CDeviceStopper Stopper(Regs);
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Adapter->DmaOperations->MapTransfer(Adapter, Mdl, Base, Va, &Length, TRUE);
  WRITE_REGISTER_ULONG(&Regs->Control, 1);
  Adapter->DmaOperations->FlushAdapterBuffers(Adapter, Mdl, Base, Va, Length,
                                              TRUE);
}
