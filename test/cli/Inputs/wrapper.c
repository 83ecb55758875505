// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmatest.h"

// The driver's own wrappers, defined in another file; rules/wrapper-rules.yaml
// tells dmacheck what they are.
VOID MyMap(PDEVICE_EXTENSION Ext, PVOID Va, PULONG Length);
VOID MyFlush(PDEVICE_EXTENSION Ext, PVOID Va, ULONG Length);

VOID UsesWrappers(PDEVICE_EXTENSION Ext, PIRP Irp) {
  PUCHAR Va = Ext->StartVa;
  ULONG Length = Ext->Length;
  MyMap(Ext, Va, &Length);
  Va += Length;
  MyFlush(Ext, Va, Length);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}
