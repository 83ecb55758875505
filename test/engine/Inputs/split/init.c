// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "split.h"

NTSTATUS SplitStart(PSPLIT_EXT Ext, PDEVICE_OBJECT DeviceObject, PIRP Irp) {
  KeInitializeDpc(&Ext->Dpc, SplitDpc, Ext);
  Ext->Irp = Irp;
  return IoAllocateAdapterChannel(Ext->Adapter, DeviceObject, 1, SplitControl,
                                  Ext);
}
