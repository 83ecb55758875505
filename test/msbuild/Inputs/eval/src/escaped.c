// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's file with an escaped ';' in a define. Nothing to find here:
// the test reads the command this file is given.
#include <wdm.h>

VOID EvalEscaped(PIRP Irp);

VOID EvalEscaped(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
