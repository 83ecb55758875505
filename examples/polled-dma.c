// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Example: a polled bus-master read, done start to finish in one routine (a
// diagnostic or boot-time path). It has two DMA flush bugs that dmacheck
// finds; the comments marked BUG say what they are.
#include <wdm.h>

#define XX_CTL_START 0x1
#define XX_STS_DONE 0x1
#define XX_STS_ERROR 0x2
#define XX_POLL_LIMIT 1000

typedef struct _XX_REGS {
  volatile ULONG Control;
  volatile ULONG Status;
  volatile ULONG DmaAddress;
  volatile ULONG DmaLength;
} XX_REGS, *PXX_REGS;

typedef struct _XX_EXTENSION {
  PDMA_ADAPTER Adapter;
  PXX_REGS Regs;
  PVOID MapRegisterBase;
  ULONG MapRegisterCount;
} XX_EXTENSION, *PXX_EXTENSION;

NTSTATUS XxPolledRead(PXX_EXTENSION Ext, PIRP Irp);

NTSTATUS XxPolledRead(PXX_EXTENSION Ext, PIRP Irp) {
  PDMA_OPERATIONS Ops = Ext->Adapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  PHYSICAL_ADDRESS Address;
  NTSTATUS Status = STATUS_SUCCESS;
  ULONG Spins;

  Address = Ops->MapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va,
                             &Length, FALSE);
  WRITE_REGISTER_ULONG(&Ext->Regs->DmaAddress, Address.LowPart);
  WRITE_REGISTER_ULONG(&Ext->Regs->DmaLength, Length);
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, XX_CTL_START);

  for (Spins = 0; Spins < XX_POLL_LIMIT; Spins++) {
    if (READ_REGISTER_ULONG(&Ext->Regs->Status) & (XX_STS_DONE | XX_STS_ERROR))
      break;
    KeStallExecutionProcessor(10);
  }
  if (Spins == XX_POLL_LIMIT) {
    // BUG: the timeout path gives the map registers back and completes the
    // IRP without FlushAdapterBuffers: on a machine that bounces DMA through
    // map registers, whatever the device wrote never reaches the buffer.
    Ops->FreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase,
                          Ext->MapRegisterCount);
    Irp->IoStatus.Status = STATUS_IO_TIMEOUT;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_IO_TIMEOUT;
  }
  if (READ_REGISTER_ULONG(&Ext->Regs->Status) & XX_STS_ERROR)
    Status = STATUS_IO_DEVICE_ERROR;

  // BUG: the device wrote into memory (a read), so WriteToDevice must be
  // FALSE, as it was for MapTransfer.
  Ops->FlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                           TRUE);
  Ops->FreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase,
                        Ext->MapRegisterCount);
  Irp->IoStatus.Status = Status;
  Irp->IoStatus.Information = NT_SUCCESS(Status) ? Length : 0;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return Status;
}
