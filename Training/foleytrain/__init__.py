"""Foley's training side: corpus, models, exporters and golden files (PyTorch)."""
