// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's file named in a list with another one it excludes; it needs
// the forced include of the x64 and ARM64 item definitions. Nothing to find
// here: the test reads the command this file is given.
#include <wdm.h>
#if defined(EVAL_WIDE) && !defined(EVAL_FORCED)
#error "inc\\forced.h is a ForcedIncludeFiles of the project"
#endif

VOID EvalFirst(PIRP Irp);

VOID EvalFirst(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
