"""Shared test set-up for neurogebra-core.

Hypothesis runs under a named profile so that every machine explores the same amount: modest
example counts keep the whole suite fast enough for CI, and no deadline because timings on a
shared machine are noisy. For a long hunt run ``HYPOTHESIS_PROFILE=thorough pytest`` (2000
examples per test, or ``HYPOTHESIS_MAX_EXAMPLES``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Plotting cells of the course pages run headless in the tests.
os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile(
    "neurogebra",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "neurogebra"))
