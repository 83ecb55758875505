/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* wdmclean: a WDM bus-master driver's device extension and registers (built by
   wdmclean.vcxproj, which defines the poll limit). */
#ifndef WDMCLEAN_H
#define WDMCLEAN_H
#include <wdm.h>

#ifndef WDMCLEAN_POLL_LIMIT
#error "WDMCLEAN_POLL_LIMIT is defined by the project (PreprocessorDefinitions)"
#endif

#define WDMCLEAN_CTL_START 0x1
#define WDMCLEAN_STS_DONE 0x1

typedef struct _WDMCLEAN_REGS {
  volatile ULONG Control;
  volatile ULONG Status;
  volatile ULONG Address;
  volatile ULONG Length;
} WDMCLEAN_REGS, *PWDMCLEAN_REGS;

typedef struct _WDMCLEAN_EXTENSION {
  PDMA_ADAPTER Adapter;
  PWDMCLEAN_REGS Regs;
  PVOID MapRegisterBase;
  ULONG MapRegisterCount;
} WDMCLEAN_EXTENSION, *PWDMCLEAN_EXTENSION;

NTSTATUS WdmCleanRead(PWDMCLEAN_EXTENSION Ext, PIRP Irp);

#endif
