"""Synthetic loads for benchmarks: a national-scale region tree and deliveries in the contracts' layouts."""
