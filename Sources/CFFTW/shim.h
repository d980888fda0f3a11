#ifndef FOLEY_CFFTW_SHIM_H
#define FOLEY_CFFTW_SHIM_H
#include <fftw3.h>
static inline unsigned foley_fftw_estimate(void) { return FFTW_ESTIMATE; }
static inline unsigned foley_fftw_measure(void) { return FFTW_MEASURE; }
static inline unsigned foley_fftw_preserve_input(void) { return FFTW_PRESERVE_INPUT; }
// fftwf_version is a C global array, which Swift 6 rejects.
static inline const char *foley_fftw_version(void) { return fftwf_version; }
#endif
