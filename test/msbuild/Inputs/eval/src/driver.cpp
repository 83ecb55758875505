// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's C++ file. Nothing to find here: the test reads the command
// this file is given.
#include <wdm.h>

VOID EvalDriver(PIRP Irp);

VOID EvalDriver(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
