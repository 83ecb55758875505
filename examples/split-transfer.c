// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Example: a write larger than the adapter's map registers allow, split into
// several DMA operations, each mapped, run and flushed in turn. The cursor
// and the remaining-bytes counter move on after every operation, and two of
// the flushes below use them by mistake (marked BUG).
#include <wdm.h>

#define YY_MAX_OPERATION (16 * PAGE_SIZE)

typedef struct _YY_EXTENSION {
  PDMA_ADAPTER Adapter;
  volatile ULONG *Doorbell;
  PVOID MapRegisterBase;
  ULONG MapRegisterCount;
} YY_EXTENSION, *PYY_EXTENSION;

BOOLEAN YyRunOperation(PYY_EXTENSION Ext, PHYSICAL_ADDRESS Address, ULONG Length);
VOID YySplitWrite(PYY_EXTENSION Ext, PIRP Irp);
VOID YyWriteWhole(PYY_EXTENSION Ext, PIRP Irp);

BOOLEAN YyRunOperation(PYY_EXTENSION Ext, PHYSICAL_ADDRESS Address,
                       ULONG Length) {
  WRITE_REGISTER_ULONG(Ext->Doorbell, Address.LowPart);
  WRITE_REGISTER_ULONG(Ext->Doorbell, Length);
  return READ_REGISTER_ULONG(Ext->Doorbell) == 0;
}

VOID YySplitWrite(PYY_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);
  ULONG Remaining = MmGetMdlByteCount(Mdl);
  NTSTATUS Status = STATUS_SUCCESS;

  while (Remaining > 0 && NT_SUCCESS(Status)) {
    ULONG Length = Remaining > YY_MAX_OPERATION ? YY_MAX_OPERATION : Remaining;
    PHYSICAL_ADDRESS Address =
        IoMapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                      TRUE);
    if (!YyRunOperation(Ext, Address, Length))
      Status = STATUS_IO_DEVICE_ERROR;
    Va += Length;
    Remaining -= Length;
    // BUG: Va is the cursor, already moved past this operation; the flush
    // needs the CurrentVa this operation was mapped with.
    IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Length,
                          TRUE);
  }
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
  Irp->IoStatus.Status = Status;
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

VOID YyWriteWhole(PYY_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Total = MmGetMdlByteCount(Mdl);
  ULONG Remaining = Total;
  ULONG Length = Remaining;
  PHYSICAL_ADDRESS Address;

  Address = IoMapTransfer(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, &Length,
                          TRUE);
  Remaining -= Length;
  (VOID)YyRunOperation(Ext, Address, Length);
  // BUG: Remaining is what is still to be transferred, not what this
  // operation mapped (Length).
  IoFlushAdapterBuffers(Ext->Adapter, Mdl, Ext->MapRegisterBase, Va, Remaining,
                        TRUE);
  IoFreeMapRegisters(Ext->Adapter, Ext->MapRegisterBase, Ext->MapRegisterCount);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
