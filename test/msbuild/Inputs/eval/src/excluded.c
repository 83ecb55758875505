// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's file ExcludedFromBuild in Debug|x64. Nothing to find here:
// the test reads the command this file is given.
#include <wdm.h>

VOID EvalExcludedDebug(PIRP Irp);

VOID EvalExcludedDebug(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
