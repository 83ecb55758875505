/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* What the solution's drivers share (found through $(SolutionDir)). */
#ifndef DMACOMMON_H
#define DMACOMMON_H
#include <wdm.h>

typedef struct _DMACOMMON_EXTENSION {
  PDMA_ADAPTER Adapter;
  PVOID MapRegisterBase;
  ULONG MapRegisterCount;
  volatile ULONG *Status;
} DMACOMMON_EXTENSION, *PDMACOMMON_EXTENSION;

#endif
