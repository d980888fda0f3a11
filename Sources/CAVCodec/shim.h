#ifndef FOLEY_CAVCODEC_SHIM_H
#define FOLEY_CAVCODEC_SHIM_H
#include <libavcodec/avcodec.h>
#endif
