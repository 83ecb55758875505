/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* eval.vcxproj's header: its existence is a condition of the project. */
