// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's C++-named file compiled as C (CompileAsC). Nothing to find
// here: the test reads the command this file is given.
#include <wdm.h>

VOID EvalCFile(PIRP Irp);

VOID EvalCFile(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
