/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Included before every file of eval.vcxproj on x64 and ARM64. */
#define EVAL_FORCED 1
