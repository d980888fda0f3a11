#ifndef FOLEY_COPENBLAS_SHIM_H
#define FOLEY_COPENBLAS_SHIM_H
#include <cblas.h>

// Foley runs BLAS on one thread: two threads are slower on these VMs, and a fixed thread
// count keeps results bit-identical run to run (OpenBLAS splits sums by thread count), which
// reproducible takes depend on. Every module calls this before its first BLAS call.
static inline void foley_blas_single_thread(void) {
    static int done = 0;
    if (!done) { openblas_set_num_threads(1); done = 1; }
}
// LAPACK symmetric eigendecomposition (OpenBLAS bundles LAPACK).
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info);
#endif
