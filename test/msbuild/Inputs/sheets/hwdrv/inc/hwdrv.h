/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* hwdrv's device extension (inc/ is the project's own include directory). */
#ifndef HWDRV_H
#define HWDRV_H
#include <wdm.h>
#include "dmahw.h"

typedef struct _HWDRV_EXTENSION {
  PDMA_ADAPTER Adapter;
  PVOID MapRegisterBase;
  ULONG MapRegisterCount;
  volatile ULONG *Doorbell;
} HWDRV_EXTENSION, *PHWDRV_EXTENSION;

VOID HwDrvSplitWrite(PHWDRV_EXTENSION Ext, PIRP Irp);
#endif
