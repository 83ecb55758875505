/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* kmdma's device extension. */
#ifndef KMDMA_H
#define KMDMA_H
#include <wdm.h>

typedef struct _KMDMA_EXTENSION {
  PDMA_ADAPTER Adapter;
  PVOID MapRegisterBase;
  ULONG MapRegisterCount;
  volatile ULONG *Status;
} KMDMA_EXTENSION, *PKMDMA_EXTENSION;

VOID KmDmaComplete(PKMDMA_EXTENSION Ext, PIRP Irp);
#endif
