// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Hard bounds: when a function needs more states or steps than allowed, it
// is reported as partly analysed (--verbose) and nothing false comes of it.
//
// RUN: %gcc-wdm %s
// RUN: %exit 0 -- %dmacheck --verbose --max-states-per-block=2 %s -- %wdm 2>&1 | FileCheck %s --check-prefix=STATES --implicit-check-not="warning:"
// RUN: %exit 0 -- %dmacheck --verbose --max-steps=20 %s -- %wdm 2>&1 | FileCheck %s --check-prefix=STEPS --implicit-check-not="warning:"
// RUN: %exit 0 -- %dmacheck --verbose --max-value-work=50 %s -- %wdm 2>&1 | FileCheck %s --check-prefix=WORK --implicit-check-not="warning:"
// RUN: %both %s -- %wdm | FileCheck %s --allow-empty --implicit-check-not="{{warning|error}}:"
#include "dmatest.h"

// Three independent maps under three independent conditions, each flushed
// under the same condition: 8 distinct DMA states, all correct.
VOID ManyStates(PDEVICE_EXTENSION Ext, PIRP Irp, BOOLEAN A, BOOLEAN B,
                BOOLEAN C) {
  PMDL M = Irp->MdlAddress;
  PMDL N = M->Next;
  PMDL O = N->Next;
  ULONG L1 = MmGetMdlByteCount(M), L2 = MmGetMdlByteCount(N),
        L3 = MmGetMdlByteCount(O);
  PVOID V1 = MmGetMdlVirtualAddress(M), V2 = MmGetMdlVirtualAddress(N),
        V3 = MmGetMdlVirtualAddress(O);
  if (A)
    IoMapTransfer(Ext->DmaAdapter, M, Ext->MapRegisterBase, V1, &L1, TRUE);
  if (B)
    IoMapTransfer(Ext->DmaAdapter, N, Ext->MapRegisterBase, V2, &L2, TRUE);
  if (C)
    IoMapTransfer(Ext->DmaAdapter, O, Ext->MapRegisterBase, V3, &L3, TRUE);
  if (A)
    IoFlushAdapterBuffers(Ext->DmaAdapter, M, Ext->MapRegisterBase, V1, L1, TRUE);
  if (B)
    IoFlushAdapterBuffers(Ext->DmaAdapter, N, Ext->MapRegisterBase, V2, L2, TRUE);
  if (C)
    IoFlushAdapterBuffers(Ext->DmaAdapter, O, Ext->MapRegisterBase, V3, L3, TRUE);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
// STATES: bounds.c:[[@LINE-23]]: dmacheck: note: function 'ManyStates' partly analysed: more than 2 distinct DMA states at one point
// STEPS: bounds.c:[[@LINE-24]]: dmacheck: note: function 'ManyStates' partly analysed: more than 20 steps
// WORK: bounds.c:[[@LINE-25]]: dmacheck: note: function 'ManyStates' partly analysed: more than 50 location values compared between paths
