"""Benchmarks: `make bench` (bench/run.py), `make bench-scaling`, `make bench-cli`.

The method and a run's figures: docs/performance.md.
"""
