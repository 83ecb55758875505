/* A stand-in WDK for the --wdk tests: a flat Include/km (one version's include directory).
   Like the real wdm.h it refuses compilers that are not MSVC and builds
   that name no architecture. */
#if !defined(_MSC_VER)
#error Compiler version not supported by Windows DDK
#endif
#if !defined(_AMD64_) && !defined(_X86_) && !defined(_ARM64_)
#error "No target architecture defined"
#endif
#ifndef _KERNEL_MODE
#error "--wdk must define _KERNEL_MODE"
#endif
#include "mini/wdm.h"
