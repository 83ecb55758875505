// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A C++ bus-master driver as a class: the state that crosses from
// AdapterControl to the DPC lives in members, the system calls static
// thunks registered with `this` as their context, and each thunk forwards to
// a member (AllocateAdapterChannel(..., AdapterControlThunk, this),
// KeInitializeDpc(&m_Dpc, DpcThunk, this)). The DPC finishes one piece of a
// split transfer and maps the next. Clean as written; each seeded bug is
// found once, at its line, through both front ends and both header sets.
//
// RUN: %gxx-wdm %s && %gxx-mini %s
// RUN: %both %s -- %cxx-wdm | count 0
// RUN: %both %s -- %mini | count 0
// RUN: %exit 0 -- %dmacheck --extra-arg=-I%test-include %s
// RUN: %gxx-wdm -DBUG_NO_FLUSH %s && %gxx-wdm -DBUG_ORDER %s && %gxx-wdm -DBUG_VA %s && %gxx-wdm -DBUG_LENGTH %s && %gxx-wdm -DBUG_ARG %s
// RUN: %both %s -- %cxx-wdm -DBUG_NO_FLUSH | FileCheck %s --check-prefix=NO-FLUSH --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini -DBUG_NO_FLUSH | FileCheck %s --check-prefix=NO-FLUSH --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %cxx-wdm -DBUG_ORDER | FileCheck %s --check-prefix=ORDER --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini -DBUG_ORDER | FileCheck %s --check-prefix=ORDER --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %cxx-wdm -DBUG_VA | FileCheck %s --check-prefix=VA --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini -DBUG_VA | FileCheck %s --check-prefix=VA --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %cxx-wdm -DBUG_LENGTH | FileCheck %s --check-prefix=LENGTH --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini -DBUG_LENGTH | FileCheck %s --check-prefix=LENGTH --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %cxx-wdm -DBUG_ARG | FileCheck %s --check-prefix=ARG --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %mini -DBUG_ARG | FileCheck %s --check-prefix=ARG --implicit-check-not="{{warning|error}}:"
// RUN: %exit 1 -- %dmacheck --extra-arg=-I%test-include --extra-arg=-DBUG_VA %s | FileCheck %s --check-prefix=VA --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

class CDevice {
public:
  NTSTATUS Start(PIRP Irp, BOOLEAN WriteToDevice);
  static DRIVER_CONTROL AdapterControlThunk;
  static KDEFERRED_ROUTINE DpcThunk;

private:
  IO_ALLOCATION_ACTION OnAdapterControl(PIRP Irp, PVOID MapRegisterBase);
  VOID OnDpc();
  VOID MapPiece();

  PDEVICE_OBJECT m_DeviceObject;
  PDMA_ADAPTER m_Adapter;
  ULONG m_MapRegisterCount;
  KDPC m_Dpc;
  TEST_REGS *m_Regs;
  PIRP m_Irp;
  PMDL m_Mdl;
  PVOID m_MapRegisterBase;
  PUCHAR m_CurrentVa;
  ULONG m_Length;
  ULONG m_Remaining;
  BOOLEAN m_WriteToDevice;
};

// Maps the next piece of the request at m_CurrentVa (as much of what is
// left as the map registers cover: MapTransfer returns it in m_Length) and
// starts the device.
VOID CDevice::MapPiece() {
  m_Length = m_Remaining;
  PHYSICAL_ADDRESS Address = m_Adapter->DmaOperations->MapTransfer(
      m_Adapter, m_Mdl, m_MapRegisterBase, m_CurrentVa, &m_Length,
      m_WriteToDevice);
  m_Remaining -= m_Length;
  WRITE_REGISTER_ULONG(&m_Regs->Address, (ULONG)Address.QuadPart);
  WRITE_REGISTER_ULONG(&m_Regs->Length, m_Length);
  WRITE_REGISTER_ULONG(&m_Regs->Control, 1);
}

IO_ALLOCATION_ACTION CDevice::AdapterControlThunk(PDEVICE_OBJECT DeviceObject,
                                                  PIRP Irp,
                                                  PVOID MapRegisterBase,
                                                  PVOID Context) {
  UNREFERENCED_PARAMETER(DeviceObject);
  return static_cast<CDevice *>(Context)->OnAdapterControl(Irp,
                                                           MapRegisterBase);
}

IO_ALLOCATION_ACTION CDevice::OnAdapterControl(PIRP Irp,
                                               PVOID MapRegisterBase) {
  m_Irp = Irp;
  m_MapRegisterBase = MapRegisterBase;
  m_Mdl = Irp->MdlAddress;
  m_CurrentVa = (PUCHAR)MmGetMdlVirtualAddress(m_Mdl);
  m_Remaining = MmGetMdlByteCount(m_Mdl);
  MapPiece();
  return DeallocateObjectKeepRegisters;
}

VOID CDevice::DpcThunk(PKDPC Dpc, PVOID Context, PVOID Argument1,
                       PVOID Argument2) {
  UNREFERENCED_PARAMETER(Dpc);
  UNREFERENCED_PARAMETER(Argument1);
  UNREFERENCED_PARAMETER(Argument2);
  static_cast<CDevice *>(Context)->OnDpc();
}

// The device finished the piece: flush it, then map the next one or finish
// the request.
VOID CDevice::OnDpc() {
  PDMA_OPERATIONS Ops = m_Adapter->DmaOperations;
#if defined(BUG_ORDER)
  Ops->FreeMapRegisters(m_Adapter, m_MapRegisterBase, m_MapRegisterCount);
#endif
#if defined(BUG_VA)
  m_CurrentVa += m_Length;
#endif
#if defined(BUG_LENGTH)
  Ops->FlushAdapterBuffers(m_Adapter, m_Mdl, m_MapRegisterBase, m_CurrentVa,
                           m_Remaining, m_WriteToDevice);
#elif defined(BUG_ARG)
  Ops->FlushAdapterBuffers(m_Adapter, m_Mdl, m_MapRegisterBase, m_CurrentVa,
                           m_Length, !m_WriteToDevice);
#elif !defined(BUG_NO_FLUSH)
  Ops->FlushAdapterBuffers(m_Adapter, m_Mdl, m_MapRegisterBase, m_CurrentVa,
                           m_Length, m_WriteToDevice);
#endif
  // ORDER: :[[@LINE-3]]:8: warning: 'FlushAdapterBuffers' is called after 'FreeMapRegisters' frees the map registers (line [[@LINE-15]]); flush before releasing the map registers [dma-flush-order]
  // ORDER: :58:56: note: transfer mapped here by 'MapTransfer'
  // ORDER: :98:25: note: 'm_Adapter' holds the transfer that 'AdapterControlThunk' left mapped when it returned
  // ORDER: :[[@LINE-18]]:8: note: released here, before the flush
  // VA: :[[@LINE-7]]:65: warning: 'FlushAdapterBuffers' is passed 'm_CurrentVa', which was advanced after 'MapTransfer' (line [[@LINE-16]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line 58 in 'MapPiece' ('m_CurrentVa') [dma-flush-va-mismatch]
  // LENGTH: :[[@LINE-13]]:28: warning: 'FlushAdapterBuffers' is passed 'm_Remaining' as Length, which was decremented after 'MapTransfer' (line 61); the flush needs the length of this transfer as given to 'MapTransfer' at line 58 in 'MapPiece' ('m_Length') [dma-flush-length-mismatch]
  // ARG: :[[@LINE-11]]:38: warning: 'FlushAdapterBuffers' is passed WriteToDevice '!m_WriteToDevice', but 'MapTransfer' at line 58 in 'MapPiece' mapped the transfer with 'm_WriteToDevice' [dma-flush-arg-mismatch]
#if !defined(BUG_VA)
  m_CurrentVa += m_Length;
#endif
  if (m_Remaining != 0) {
    MapPiece();
    return;
  }
#if !defined(BUG_ORDER)
  Ops->FreeMapRegisters(m_Adapter, m_MapRegisterBase, m_MapRegisterCount);
#endif
  // NO-FLUSH: :[[@LINE-2]]:8: warning: 'FreeMapRegisters' frees the map registers while the transfer mapped by 'MapTransfer' at line 58 in 'MapPiece' has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  // NO-FLUSH: :58:56: note: transfer mapped here by 'MapTransfer'
  // NO-FLUSH: :98:25: note: 'm_Adapter' holds the transfer that 'AdapterControlThunk' left mapped when it returned
  // NO-FLUSH: :[[@LINE-10]]:7: note: assuming 'm_Remaining != 0' is false
  PIRP Irp = m_Irp;
  Irp->IoStatus.Status = STATUS_SUCCESS;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

NTSTATUS CDevice::Start(PIRP Irp, BOOLEAN WriteToDevice) {
  UNREFERENCED_PARAMETER(Irp);
  m_WriteToDevice = WriteToDevice;
  KeInitializeDpc(&m_Dpc, DpcThunk, this);
  return m_Adapter->DmaOperations->AllocateAdapterChannel(
      m_Adapter, m_DeviceObject, m_MapRegisterCount, AdapterControlThunk,
      this);
}
