"""FoleyWorld: a paired video/audio corpus rendered from procedural scenes with real recorded
effects from Debian packages. Deterministic from a seed; data lives outside the repo."""
