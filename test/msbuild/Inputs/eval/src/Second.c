// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's file named src\second.c (the case differs from the file's).
// Nothing to find here: the test reads the command this file is given.
#include <wdm.h>

VOID EvalSecond(PIRP Irp);

VOID EvalSecond(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
