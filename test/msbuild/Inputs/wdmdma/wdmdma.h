/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* wdmdma: a WDM bus-master driver's device extension and registers (built by
   wdmdma.vcxproj, which defines the poll limit). */
#ifndef WDMDMA_H
#define WDMDMA_H
#include <wdm.h>

#ifndef WDMDMA_POLL_LIMIT
#error "WDMDMA_POLL_LIMIT is defined by the project (PreprocessorDefinitions)"
#endif

#define WDMDMA_CTL_START 0x1
#define WDMDMA_STS_DONE 0x1

typedef struct _WDMDMA_REGS {
  volatile ULONG Control;
  volatile ULONG Status;
  volatile ULONG Address;
  volatile ULONG Length;
} WDMDMA_REGS, *PWDMDMA_REGS;

typedef struct _WDMDMA_EXTENSION {
  PDMA_ADAPTER Adapter;
  PWDMDMA_REGS Regs;
  PVOID MapRegisterBase;
  ULONG MapRegisterCount;
} WDMDMA_EXTENSION, *PWDMDMA_EXTENSION;

NTSTATUS WdmDmaRead(PWDMDMA_EXTENSION Ext, PIRP Irp);

#endif
