/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Every scenario file is checked twice: against mingw-w64's real ddk/wdm.h
 * and against the tiny mini/wdm.h (-DDMA_MINI, found by -I as a driver tree's
 * own copy of the DDK headers would be). Line numbers do not depend on
 * which header is used, so one set of expectations serves both.
 */
#ifndef DMATEST_H
#define DMATEST_H
#include <wdm.h> /* mingw-w64's ddk/wdm.h, or include/mini/wdm.h (-DDMA_MINI) */

/* A device with registers, as the scenarios program it. */
typedef struct _TEST_REGS {
  volatile ULONG Control;
  volatile ULONG Status;
  volatile ULONG Address;
  volatile ULONG Length;
} TEST_REGS;

typedef struct _DEVICE_EXTENSION {
  PDMA_ADAPTER DmaAdapter;
  PDMA_OPERATIONS Ops;
  PFLUSH_ADAPTER_BUFFERS Flush;
  PMAP_TRANSFER Map;
  TEST_REGS *Regs;
  PVOID MapRegisterBase;
  ULONG NumberOfMapRegisters;
  PMDL Mdl;
  PUCHAR CurrentVa;
  PUCHAR StartVa;
  ULONG Length;
  ULONG Remaining;
  BOOLEAN WriteToDevice;
  BOOLEAN UseDma;
} DEVICE_EXTENSION, *PDEVICE_EXTENSION;

#define DEVICE_DONE 0x1
#define DEVICE_ERROR 0x2

#endif
