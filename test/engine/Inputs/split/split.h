/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* A driver split over two files: init.c registers the routines, dma.c
   defines them, with no role typedef declarations anywhere. */
#include "dmatest.h"

typedef struct _SPLIT_EXT {
  PDMA_ADAPTER Adapter;
  PMDL Mdl;
  PVOID MapRegisterBase;
  PVOID StartVa;
  ULONG Length;
  KDPC Dpc;
  PIRP Irp;
} SPLIT_EXT, *PSPLIT_EXT;

IO_ALLOCATION_ACTION NTAPI SplitControl(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                        PVOID MapRegisterBase, PVOID Context);
VOID NTAPI SplitDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2);
