"""The core layers of Neurogebra: autograd engines, symbolic expressions and training."""
