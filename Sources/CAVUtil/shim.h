#ifndef FOLEY_CAVUTIL_SHIM_H
#define FOLEY_CAVUTIL_SHIM_H
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/pixfmt.h>
#include <libavutil/log.h>
#include <libavutil/dict.h>

// Function-like macros and constants Swift does not import.
static inline int foley_averror_eof(void) { return AVERROR_EOF; }
static inline int foley_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int foley_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int64_t foley_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline enum AVPixelFormat foley_pix_fmt_rgb24(void) { return AV_PIX_FMT_RGB24; }
// libavutil enums reach Swift through several modules; in a clean build their constants can be
// ambiguous or missing, so every one Foley uses goes through a function here.
static inline enum AVSampleFormat foley_sample_fmt_flt(void) { return AV_SAMPLE_FMT_FLT; }
static inline enum AVSampleFormat foley_sample_fmt_fltp(void) { return AV_SAMPLE_FMT_FLTP; }
static inline int foley_av_time_base(void) { return AV_TIME_BASE; }
static inline AVRational foley_av_time_base_q(void) { AVRational r = {1, AV_TIME_BASE}; return r; }
static inline void foley_av_strerror(int err, char *buf, size_t size) { av_strerror(err, buf, size); }
#endif
