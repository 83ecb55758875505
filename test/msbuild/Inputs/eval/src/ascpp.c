// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's C file compiled as C++ (CompileAs as an attribute). Nothing
// to find here: the test reads the command this file is given.
#include <wdm.h>

VOID EvalAsCpp(PIRP Irp);

VOID EvalAsCpp(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
