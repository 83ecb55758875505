/* A stand-in WDK for the --wdk tests: the newest version's km directory.
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
#ifdef __cplusplus
/* As the real ntdef.h in C++ under MSVC (_MSC_FULL_VER): RTL_NUMBER_OF by a
   template that takes a reference to an array, extern "C++" even when the
   driver wraps the #include in extern "C". */
#if _MSC_FULL_VER >= 13009466
extern "C++" template <typename T, __SIZE_TYPE__ N>
char (*RtlpNumberOf(T (&)[N]))[N];
#define RTL_NUMBER_OF(A) (sizeof(*RtlpNumberOf(A)))
#endif
#endif
#ifndef RTL_NUMBER_OF
#define RTL_NUMBER_OF(A) (sizeof(A) / sizeof((A)[0]))
#endif
