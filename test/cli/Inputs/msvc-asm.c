/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* MSVC semantics as the WDK's headers use them: __stdcall routines, MS-style
   __asm blocks on x86 (parsed by the target's assembly parser), SAL-style
   annotations that expand to nothing. */
#include "dmatest.h"

#if defined(_M_IX86)
static __inline void Breakpoint(void) { __asm { int 3 } }
#else
static __inline void Breakpoint(void) { __debugbreak(); }
#endif
#define _In_

VOID __stdcall StartTransfer(_In_ PDEVICE_EXTENSION Ext, _In_ PIRP Irp) {
  ULONG Length = Ext->Length;
  IoMapTransfer(Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase,
                Ext->CurrentVa, &Length, TRUE);
  if (Ext->Regs->Status & DEVICE_ERROR) {
    Breakpoint();
    IoFreeAdapterChannel(Ext->DmaAdapter);
    return;
  }
  IoFlushAdapterBuffers(Ext->DmaAdapter, Irp->MdlAddress, Ext->MapRegisterBase,
                        Ext->CurrentVa, Length, TRUE);
  IoFreeAdapterChannel(Ext->DmaAdapter);
}
