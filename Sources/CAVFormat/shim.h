#ifndef FOLEY_CAVFORMAT_SHIM_H
#define FOLEY_CAVFORMAT_SHIM_H
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/channel_layout.h>

// Constants the muxer needs, as functions (enum constants and macros do not import reliably).
static inline enum AVMediaType foley_media_type_audio(void) { return AVMEDIA_TYPE_AUDIO; }
static inline enum AVCodecID foley_codec_id_pcm_s24le(void) { return AV_CODEC_ID_PCM_S24LE; }
static inline int foley_avio_flag_write(void) { return AVIO_FLAG_WRITE; }
static inline int foley_avfmt_nofile(void) { return AVFMT_NOFILE; }
#endif
