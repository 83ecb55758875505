// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A C++ bus-master driver that includes the DDK as C++ drivers do, inside
// extern "C". With no flags at all, dmacheck's embedded default parses it in
// C++ mode against mingw-w64's ddk/wdm.h (whose two definitions of
// InterlockedBitTestAndSet/Reset C++ rejects: see DefaultCxxFlags in
// checker/cli/dmacheck.cpp); the same flags make mingw-w64's g++ accept it.
//
// RUN: %gxx-wdm %s && %gxx-wdm -DBUG_DPC_NO_FLUSH %s
// RUN: %exit 0 -- %dmacheck %s
// RUN: %both %s -- %cxx-wdm | count 0
// The seeded bug is found through both front ends, and with no flags.
// RUN: %both %s -- %cxx-wdm -DBUG_DPC_NO_FLUSH | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %exit 1 -- %dmacheck --extra-arg=-DBUG_DPC_NO_FLUSH %s | FileCheck %s --implicit-check-not="{{warning|error}}:"
extern "C" {
#include <wdm.h>
}

struct DEVICE_EXTENSION {
  PDEVICE_OBJECT DeviceObject;
  PDMA_ADAPTER Adapter;
  ULONG MapRegisterCount;
  PVOID MapRegisterBase;
  PMDL Mdl;
  PVOID CurrentVa;
  ULONG Length;
  bool WriteToDevice;
};
typedef DEVICE_EXTENSION *PDEVICE_EXTENSION;

static DRIVER_CONTROL AdapterControl;
static IO_DPC_ROUTINE DpcForIsr;
static DRIVER_STARTIO StartIo;

static IO_ALLOCATION_ACTION NTAPI AdapterControl(PDEVICE_OBJECT DeviceObject,
                                                 PIRP Irp,
                                                 PVOID MapRegisterBase,
                                                 PVOID Context) {
  UNREFERENCED_PARAMETER(DeviceObject);
  PDEVICE_EXTENSION Ext = static_cast<PDEVICE_EXTENSION>(Context);
  PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
  Ext->MapRegisterBase = MapRegisterBase;
  Ext->Mdl = Irp->MdlAddress;
  Ext->CurrentVa = MmGetMdlVirtualAddress(Ext->Mdl);
  Ext->Length = MmGetMdlByteCount(Ext->Mdl);
  Ext->WriteToDevice = Stack->MajorFunction == IRP_MJ_WRITE;
  Ext->Adapter->DmaOperations->MapTransfer(Ext->Adapter, Ext->Mdl,
                                           Ext->MapRegisterBase, Ext->CurrentVa,
                                           &Ext->Length, Ext->WriteToDevice);
  return DeallocateObjectKeepRegisters;
}

static VOID NTAPI DpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp,
                            PVOID Context) {
  UNREFERENCED_PARAMETER(Dpc);
  UNREFERENCED_PARAMETER(Context);
  PDEVICE_EXTENSION Ext =
      static_cast<PDEVICE_EXTENSION>(DeviceObject->DeviceExtension);
  PDMA_OPERATIONS Ops = Ext->Adapter->DmaOperations;
#ifndef BUG_DPC_NO_FLUSH
  Ops->FlushAdapterBuffers(Ext->Adapter, Ext->Mdl, Ext->MapRegisterBase,
                           Ext->CurrentVa, Ext->Length, Ext->WriteToDevice);
#endif
  Ops->FreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase,
                        Ext->MapRegisterCount);
  // CHECK: :[[@LINE-2]]:8: warning: 'FreeMapRegisters' frees the map registers while the transfer mapped by 'MapTransfer' at line 46 in 'AdapterControl' has not been flushed; call FlushAdapterBuffers first [dma-missing-flush]
  // CHECK: :46:32: note: transfer mapped here by 'MapTransfer'
  Irp->IoStatus.Status = STATUS_SUCCESS;
  Irp->IoStatus.Information = Ext->Length;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  IoStartNextPacket(DeviceObject, FALSE);
}

static VOID NTAPI StartIo(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
  PDEVICE_EXTENSION Ext =
      static_cast<PDEVICE_EXTENSION>(DeviceObject->DeviceExtension);
  NTSTATUS Status = Ext->Adapter->DmaOperations->AllocateAdapterChannel(
      Ext->Adapter, DeviceObject, Ext->MapRegisterCount, AdapterControl, Ext);
  if (!NT_SUCCESS(Status)) {
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    IoStartNextPacket(DeviceObject, FALSE);
  }
}

static NTSTATUS NTAPI AddDevice(PDRIVER_OBJECT DriverObject,
                                PDEVICE_OBJECT PhysicalDeviceObject) {
  PDEVICE_OBJECT DeviceObject = nullptr;
  NTSTATUS Status = IoCreateDevice(DriverObject, sizeof(DEVICE_EXTENSION),
                                   nullptr, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                   &DeviceObject);
  if (!NT_SUCCESS(Status))
    return Status;
  PDEVICE_EXTENSION Ext =
      static_cast<PDEVICE_EXTENSION>(DeviceObject->DeviceExtension);
  RtlZeroMemory(Ext, sizeof(*Ext));
  Ext->DeviceObject = DeviceObject;
  DEVICE_DESCRIPTION Description;
  RtlZeroMemory(&Description, sizeof(Description));
  Description.Version = DEVICE_DESCRIPTION_VERSION;
  Description.Master = TRUE;
  Description.ScatterGather = TRUE;
  Description.Dma32BitAddresses = TRUE;
  Description.InterfaceType = PCIBus;
  Description.MaximumLength = 64 * 1024;
  Ext->Adapter = IoGetDmaAdapter(PhysicalDeviceObject, &Description,
                                 &Ext->MapRegisterCount);
  if (Ext->Adapter == nullptr) {
    IoDeleteDevice(DeviceObject);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  IoInitializeDpcRequest(DeviceObject, DpcForIsr);
  DeviceObject->Flags |= DO_DIRECT_IO;
  DeviceObject->Flags &= ~DO_DEVICE_INITIALIZING;
  return STATUS_SUCCESS;
}

extern "C" DRIVER_INITIALIZE DriverEntry;

extern "C" NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject,
                                      PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(RegistryPath);
  DriverObject->DriverExtension->AddDevice = AddDevice;
  DriverObject->DriverStartIo = StartIo;
  return STATUS_SUCCESS;
}
