"""Where one submission's grading time goes: seconds per pass, and what the runner reports.

The passes are intake, match, plan, run, judge and record (see autograde.py). ``run`` is the
wall-clock time of a notebook's job as the coordinator saw it; ``runner`` keeps, per notebook,
whatever finer timings the sandbox's runner reports with its run (sandbox start, kernel start,
cells ...), under the names it gives them. They are recorded in the ledger for benchmarks.

Example:
    >>> times = PassTimes()
    >>> with times.measure("intake"):
    ...     pass
    >>> sorted(times.as_dict()["seconds"])
    ['intake']
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

PASSES = ("intake", "match", "plan", "run", "judge", "record")


@dataclass
class PassTimes:
    """Seconds spent in each pass for one submission (summed over its notebooks)."""

    seconds: dict[str, float] = field(default_factory=dict)
    runner: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add_runner(self, notebook: str, reported: Any) -> None:
        """Keep the runner's own timings of one notebook (numbers only; anything else ignored)."""
        if isinstance(reported, dict):
            self.runner[notebook] = {
                str(k): float(v)
                for k, v in reported.items()
                if isinstance(v, int | float) and not isinstance(v, bool)
            }

    def as_dict(self) -> dict[str, Any]:
        return {"seconds": dict(self.seconds), "runner": dict(self.runner)}
