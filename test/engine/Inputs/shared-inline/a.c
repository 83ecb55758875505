// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "shared.h"
VOID XxStartA(PDEVICE_EXTENSION Ext) {
  if (XxReadStatus(Ext->Regs) & DEVICE_ERROR)
    return;
  WRITE_REGISTER_ULONG(&Ext->Regs->Control, 1);
}
