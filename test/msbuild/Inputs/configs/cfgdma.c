// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// cfgdma: a bus-master write, built by configs.vcxproj. Its Release
// configuration defines CFGDMA_FAST_COMPLETE, and there is the BUG: a fast
// path completes the IRP before the transfer is flushed. The MSBuild property
// CfgDmaSeed=order seeds another one: a flush after the map registers are
// freed.
#include <wdm.h>

#ifndef CFGDMA_DOORBELL
#error "CFGDMA_DOORBELL comes from the project's first ItemDefinitionGroup"
#endif

typedef struct _CFGDMA_EXTENSION {
  PDMA_ADAPTER Adapter;
  PVOID MapRegisterBase;
  ULONG MapRegisterCount;
  volatile ULONG *Registers;
} CFGDMA_EXTENSION, *PCFGDMA_EXTENSION;

VOID CfgDmaWrite(PCFGDMA_EXTENSION Ext, PIRP Irp);

VOID CfgDmaWrite(PCFGDMA_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  PHYSICAL_ADDRESS Address;

  Address = IoMapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                          TRUE);
  WRITE_REGISTER_ULONG(Ext->Registers + CFGDMA_DOORBELL,
                       (ULONG)Address.QuadPart);
#ifdef CFGDMA_FAST_COMPLETE
  if (READ_REGISTER_ULONG(Ext->Registers) == 0) {
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return;
  }
#endif
#ifdef CFGDMA_LATE_FLUSH
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
  IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
#else
  IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                        TRUE);
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
#endif
  Irp->IoStatus.Status = STATUS_SUCCESS;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
