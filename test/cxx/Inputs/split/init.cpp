// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Registers the channel's routines; defines none of them.
#include "channel.h"

NTSTATUS CChannel::Start(PIRP Irp) {
  m_Irp = Irp;
  KeInitializeDpc(&m_Dpc, DpcThunk, this);
  return m_Adapter->DmaOperations->AllocateAdapterChannel(
      m_Adapter, m_DeviceObject, m_MapRegisterCount, AdapterControlThunk,
      this);
}
