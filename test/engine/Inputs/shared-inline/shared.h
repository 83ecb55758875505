/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* An inline routine of a header every file of the driver includes: each
   file defines it, none needs the others' facts about it. */
#include "dmatest.h"
__inline ULONG XxReadStatus(TEST_REGS *Regs) {
  return READ_REGISTER_ULONG(&Regs->Status);
}
VOID XxStartA(PDEVICE_EXTENSION Ext);
VOID XxStartB(PDEVICE_EXTENSION Ext);
