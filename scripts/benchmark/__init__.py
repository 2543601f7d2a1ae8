"""Benchmarks of issue 15: the run against its floor, one delivery, the national load, parsing."""
