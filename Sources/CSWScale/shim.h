#ifndef FOLEY_CSWSCALE_SHIM_H
#define FOLEY_CSWSCALE_SHIM_H
#include <libswscale/swscale.h>
#endif
