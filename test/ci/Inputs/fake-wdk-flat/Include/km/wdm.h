/* A stand-in WDK for the --wdk tests: a flat Include/km (one version's
   include directory copied into a tree). The same header as the versioned
   layout's. */
#include "../../../fake-wdk/Include/10.0.22621.0/km/wdm.h"
