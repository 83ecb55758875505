/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The DMA engine's registers, from the tree's shared property sheet
   (props/dmahw.props puts this directory on the include path and defines
   the revision). */
#ifndef DMAHW_H
#define DMAHW_H
#if !defined(DMAHW_REVISION) || DMAHW_REVISION != 2
#error "DMAHW_REVISION comes from props/dmahw.props"
#endif
#ifndef HW_TREE_BUILD
#error "HW_TREE_BUILD comes from the tree's Directory.Build.props"
#endif
#define DMAHW_MAX_OPERATION (16 * PAGE_SIZE)
#endif
