"""Small, complete programs built on Neurogebra, used by the demo, the benchmarks and the docs."""
