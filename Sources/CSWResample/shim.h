#ifndef FOLEY_CSWRESAMPLE_SHIM_H
#define FOLEY_CSWRESAMPLE_SHIM_H
#include <libswresample/swresample.h>
#endif
