// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The channel's AdapterControl and DPC, registered in init.cpp; nothing here
// says CChannel::DpcThunk is a DPC (it is declared with no role typedef),
// and CTimer's routines of the same names are not the channel's.
#include "channel.h"

IO_ALLOCATION_ACTION NTAPI CChannel::AdapterControlThunk(PDEVICE_OBJECT DeviceObject,
                                                   PIRP Irp,
                                                   PVOID MapRegisterBase,
                                                   PVOID Context) {
  UNREFERENCED_PARAMETER(DeviceObject);
  return static_cast<CChannel *>(Context)->OnAdapterControl(Irp,
                                                            MapRegisterBase);
}

IO_ALLOCATION_ACTION CChannel::OnAdapterControl(PIRP Irp,
                                                PVOID MapRegisterBase) {
  m_MapRegisterBase = MapRegisterBase;
  m_Mdl = Irp->MdlAddress;
  m_Va = MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Va, &m_Length, TRUE);
  return DeallocateObjectKeepRegisters;
}

VOID NTAPI CChannel::DpcThunk(PKDPC Dpc, PVOID Context, PVOID Argument1,
                        PVOID Argument2) {
  UNREFERENCED_PARAMETER(Dpc);
  UNREFERENCED_PARAMETER(Argument1);
  UNREFERENCED_PARAMETER(Argument2);
  static_cast<CChannel *>(Context)->OnDpc();
}

VOID CChannel::OnDpc() {
#ifndef SPLIT_BUG
  m_Adapter->DmaOperations->FlushAdapterBuffers(
      m_Adapter, m_Mdl, m_MapRegisterBase, m_Va, m_Length, TRUE);
#endif
  m_Adapter->DmaOperations->FreeMapRegisters(m_Adapter, m_MapRegisterBase,
                                             m_MapRegisterCount);
  IoCompleteRequest(m_Irp, IO_NO_INCREMENT);
}
