/* A stand-in WDK with KMDF headers for the --vcxproj tests: as
   test/ci/Inputs/fake-wdk's wdm.h, MSVC and an architecture required. */
#if !defined(_MSC_VER)
#error Compiler version not supported by Windows DDK
#endif
#if !defined(_AMD64_) && !defined(_X86_) && !defined(_ARM64_)
#error "No target architecture defined"
#endif
#include "mini/wdm.h"
