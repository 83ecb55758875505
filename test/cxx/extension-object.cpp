// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A C++ driver whose device extension is the object: AdapterControl and the
// DpcForIsr are static members that reach it through
// DeviceObject->DeviceExtension and forward to members; the DPC is the
// device object's own (IoInitializeDpcRequest / IoRequestDpc). The transfer
// crosses from one member to the other in the object's fields. Clean as
// written; each seeded bug is found once at its line.
//
// RUN: %gxx-wdm %s && %gxx-wdm -DBUG_NO_FLUSH %s && %gxx-wdm -DBUG_ADVANCED %s
// RUN: %both %s -- %cxx-wdm | count 0
// RUN: %both %s -- %cxx-wdm -DBUG_NO_FLUSH | FileCheck %s --check-prefix=NO-FLUSH --implicit-check-not="{{warning|error}}:"
// RUN: %both %s -- %cxx-wdm -DBUG_ADVANCED | FileCheck %s --check-prefix=ADVANCED --implicit-check-not="{{warning|error}}:"
#include <wdm.h>

class CDevice {
public:
  static DRIVER_STARTIO StartIo;
  static DRIVER_CONTROL AdapterControl;
  static IO_DPC_ROUTINE DpcForIsr;

private:
  VOID OnStartIo(PIRP Irp);
  IO_ALLOCATION_ACTION OnAdapterControl(PIRP Irp, PVOID MapRegisterBase);
  VOID OnDpc(PIRP Irp);

  PDEVICE_OBJECT m_DeviceObject;
  PDMA_ADAPTER m_Adapter;
  ULONG m_MapRegisterCount;
  PVOID m_MapRegisterBase;
  PMDL m_Mdl;
  PVOID m_Va;
  ULONG m_Length;
  BOOLEAN m_WriteToDevice;
};

VOID CDevice::StartIo(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
  static_cast<CDevice *>(DeviceObject->DeviceExtension)->OnStartIo(Irp);
}

VOID CDevice::OnStartIo(PIRP Irp) {
  PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
  m_WriteToDevice = Stack->MajorFunction == IRP_MJ_WRITE;
  m_Adapter->DmaOperations->AllocateAdapterChannel(
      m_Adapter, m_DeviceObject, m_MapRegisterCount, AdapterControl, this);
}

IO_ALLOCATION_ACTION CDevice::AdapterControl(PDEVICE_OBJECT DeviceObject,
                                             PIRP Irp, PVOID MapRegisterBase,
                                             PVOID Context) {
  UNREFERENCED_PARAMETER(Context);
  return static_cast<CDevice *>(DeviceObject->DeviceExtension)
      ->OnAdapterControl(Irp, MapRegisterBase);
}

IO_ALLOCATION_ACTION CDevice::OnAdapterControl(PIRP Irp,
                                               PVOID MapRegisterBase) {
  m_MapRegisterBase = MapRegisterBase;
  m_Mdl = Irp->MdlAddress;
  m_Va = MmGetMdlVirtualAddress(m_Mdl);
  m_Length = MmGetMdlByteCount(m_Mdl);
  m_Adapter->DmaOperations->MapTransfer(m_Adapter, m_Mdl, m_MapRegisterBase,
                                        m_Va, &m_Length, m_WriteToDevice);
  return DeallocateObjectKeepRegisters;
}

VOID CDevice::DpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp,
                        PVOID Context) {
  UNREFERENCED_PARAMETER(Dpc);
  UNREFERENCED_PARAMETER(Context);
  static_cast<CDevice *>(DeviceObject->DeviceExtension)->OnDpc(Irp);
}

VOID CDevice::OnDpc(PIRP Irp) {
#if defined(BUG_ADVANCED)
  m_Va = (PUCHAR)m_Va + m_Length;
#endif
#if !defined(BUG_NO_FLUSH)
  m_Adapter->DmaOperations->FlushAdapterBuffers(
      m_Adapter, m_Mdl, m_MapRegisterBase, m_Va, m_Length, m_WriteToDevice);
#endif
  // ADVANCED: :[[@LINE-2]]:44: warning: 'FlushAdapterBuffers' is passed 'm_Va', which was advanced after 'MapTransfer' (line [[@LINE-6]]); the flush needs the initial CurrentVa given to 'MapTransfer' at line 61 in 'OnAdapterControl' ('m_Va') [dma-flush-va-mismatch]
  m_Adapter->DmaOperations->FreeMapRegisters(m_Adapter, m_MapRegisterBase,
                                             m_MapRegisterCount);
  // NO-FLUSH: :[[@LINE-2]]:29: warning: 'FreeMapRegisters' frees the map registers while the transfer mapped by 'MapTransfer' at line 61 in 'OnAdapterControl' has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  IoStartNextPacket(m_DeviceObject, FALSE);
}

extern "C" NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject,
                                      PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(RegistryPath);
  DriverObject->DriverStartIo = CDevice::StartIo;
  return STATUS_SUCCESS;
}
