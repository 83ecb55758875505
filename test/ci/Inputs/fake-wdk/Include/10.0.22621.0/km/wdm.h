/* A stand-in WDK for the --wdk test: the newest version's km directory. */
#ifndef _KERNEL_MODE
#error "--wdk must define _KERNEL_MODE"
#endif
#include "mini/wdm.h"
