#ifndef FOLEY_COPENBLAS_SHIM_H
#define FOLEY_COPENBLAS_SHIM_H
#include <cblas.h>
// Declared by OpenBLAS's cblas.h; repeated so the intent is visible: Foley runs BLAS on one
// thread (two threads are slower on these VMs, see toolchain notes).
void openblas_set_num_threads(int num_threads);
#endif
