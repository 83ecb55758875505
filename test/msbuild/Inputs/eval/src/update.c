// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// eval.vcxproj's file whose metadata a later ClCompile Update changes. Nothing
// to find here: the test reads the command this file is given.
#include <wdm.h>

VOID EvalUpdate(PIRP Irp);

VOID EvalUpdate(PIRP Irp) { Irp->IoStatus.Status = STATUS_SUCCESS; }
