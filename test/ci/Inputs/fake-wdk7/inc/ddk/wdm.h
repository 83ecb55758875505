/* A stand-in WDK for the --wdk tests: a WDK 7 layout (inc/ddk, inc/api,
   inc/crt). The same header as the WDK 10 layout's. */
#include "../../../fake-wdk/Include/10.0.22621.0/km/wdm.h"
