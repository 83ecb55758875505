// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's file that its ClCompile's Exclude attribute leaves out.
// Nothing to find here: the test reads the command this file is given.
#include <wdm.h>

VOID EvalExcluded(PIRP Irp);

VOID EvalExcluded(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
