#ifndef FOLEY_CALSA_SHIM_H
#define FOLEY_CALSA_SHIM_H
#include <alsa/asoundlib.h>

// ALSA's error handler is variadic, which Swift cannot implement: silence it from C so
// that a missing sound card is reported once by our own error, not spammed to stderr.
static void foley_alsa_silent_handler(const char *file, int line, const char *function,
                                      int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void foley_alsa_silence_errors(void) {
    snd_lib_error_set_handler(foley_alsa_silent_handler);
}
#endif
