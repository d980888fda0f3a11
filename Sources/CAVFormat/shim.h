#ifndef FOLEY_CAVFORMAT_SHIM_H
#define FOLEY_CAVFORMAT_SHIM_H
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#endif
