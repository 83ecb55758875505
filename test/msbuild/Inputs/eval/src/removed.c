// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's file that a later ClCompile Remove takes out. Nothing to find
// here: the test reads the command this file is given.
#include <wdm.h>

VOID EvalRemoved(PIRP Irp);

VOID EvalRemoved(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
