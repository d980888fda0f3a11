"""Timing shared by the PyTorch sides of `make bench`."""
import time


def median_time(fn, runs=3):
    """Median wall-clock seconds of `runs` calls after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]
