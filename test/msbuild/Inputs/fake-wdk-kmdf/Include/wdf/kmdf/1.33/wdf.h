/* A stand-in for KMDF 1.33's wdf.h: only its version. */
#ifndef _WDF_H_
#define _WDF_H_
#define KMDF_TEST_VERSION_MINOR 33
#endif
