// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// dma-flush-arg-mismatch fix-its: the flush is given the map's Mdl,
// MapRegisterBase or WriteToDevice expression when it still has the value it
// had at the map; none for a constant direction (TRUE/FALSE: any variable
// holding 1 would do, which proves nothing) nor for the adapter.
//
// RUN: %gcc-wdm %s
// RUN: %both %s -- %wdm | FileCheck %s --check-prefix=SHOW
// RUN: cp %s %t.c
// RUN: %exit 1 -- %dmacheck --fix --quiet %t.c -- %wdm > /dev/null
// RUN: FileCheck %s --check-prefix=FIXED < %t.c
// RUN: %gcc-wdm %t.c
// RUN: %exit 1 -- %dmacheck %t.c -- %wdm | FileCheck %s --check-prefix=AFTER --implicit-check-not="warning:"
// RUN: cp %s %t.tidy.c
// RUN: %tidy-fix --checks=-*,dma-* --quiet --fix %t.tidy.c -- %wdm > /dev/null 2>&1
// RUN: diff %t.c %t.tidy.c
#include "dmatest.h"

// The direction negated: the flush is given the parameter the map was.
VOID NegatedDirection(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase,
                      BOOLEAN WriteToDevice) {
  PDMA_OPERATIONS Ops = Adapter->DmaOperations;
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  Ops->MapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, WriteToDevice);
  KeStallExecutionProcessor(10);
  (*Ops->FlushAdapterBuffers)(Adapter, Mdl, MapRegisterBase, Va, Length,
                              !WriteToDevice);
  // SHOW: fixit-arg.c:[[@LINE-1]]:31: warning: 'FlushAdapterBuffers' is passed WriteToDevice '!WriteToDevice'
  // SHOW-NEXT: !WriteToDevice);
  // SHOW-NEXT: {{^ *(\| +)?\^~+$}}
  // SHOW-NEXT: {{^ *(\| +)?WriteToDevice$}}
  // FIXED: {{^}}                              WriteToDevice);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The map register base stepped after the map; a copy still holds it.
VOID MapRegisterBaseStepped(PDMA_ADAPTER Adapter, PIRP Irp, PUCHAR Mrb) {
  PMDL Mdl = Irp->MdlAddress;
  PUCHAR Base = Mrb;
  (void)Base;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, Mrb, Va, &Length, TRUE);
  Mrb += PAGE_SIZE;
  KeStallExecutionProcessor(10);
  IoFlushAdapterBuffers(Adapter, Mdl, Mrb, Va, Length, TRUE);
  // SHOW: fixit-arg.c:[[@LINE-1]]:39: warning: 'IoFlushAdapterBuffers' is passed MapRegisterBase 'Mrb'
  // SHOW: {{^ *(\| +)?Base$}}
  // FIXED: {{^}}  IoFlushAdapterBuffers(Adapter, Mdl, Base, Va, Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// The MDL stepped after the map, through a field: the map's expression
// (Ext->Mdl) still holds the MDL mapped.
VOID MdlStepped(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PMDL Mdl = Ext->Mdl;
  PVOID Va = MmGetMdlVirtualAddress(Ext->Mdl);
  ULONG Length = MmGetMdlByteCount(Ext->Mdl);
  Ext->Map(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Va, &Length, TRUE);
  Mdl++;
  KeStallExecutionProcessor(10);
  Ext->Flush(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
  // SHOW: fixit-arg.c:[[@LINE-1]]:31: warning: 'Flush' is passed the Mdl 'Mdl', but 'Map' at line [[@LINE-4]] mapped the transfer with 'Ext->Mdl'
  // SHOW: {{^ *(\| +)?Ext->Mdl$}}
  // FIXED: {{^}}  Ext->Flush(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, Va, Length, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

// A constant direction: reported, no fix-it (the file is left as it is).
VOID ConstantDirection(PDMA_ADAPTER Adapter, PIRP Irp, PVOID MapRegisterBase) {
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, TRUE);
  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  // SHOW: fixit-arg.c:[[@LINE-1]]:68: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'FALSE'
  // SHOW-NEXT: IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  // SHOW-NEXT: {{^ *(\| +)?\^$}}
  // SHOW-NEXT: note: transfer mapped here
  // FIXED: {{^}}  IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, FALSE);
  // AFTER: {{.*}}:[[@LINE-6]]:68: warning: 'IoFlushAdapterBuffers' is passed WriteToDevice 'FALSE'
  IoFreeAdapterChannel(Adapter);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
