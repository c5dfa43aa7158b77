"""Shared by the benchmark scripts: time things fairly and record results in RESULTS.md.

Each script owns one section of RESULTS.md, delimited by HTML comments, and rewrites only that
section, so scripts can be run alone (`nox -s bench -- benchmarks/value_engine.py`) or together.

Example:
    >>> median_seconds([lambda: None], repeats=3)[0] >= 0
    True
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = (
    "# Benchmark results\n\n"
    "Written by `nox -s bench`. Every ratio compares workloads measured in the same process, "
    "interleaved (each round starts with a different one), on the same machine; the machine is "
    "shared and noisy, so the medians matter, not single runs.\n"
)


def median_seconds(
    workloads: Sequence[Callable[[], object]],
    repeats: int,
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Median time of each workload, running them interleaved (A B C, B C A, C A B, ...).

    Each round starts one workload later, so none of them always runs right after the same
    other one: a workload that follows a big one finds the caches full of that one's data and
    code, and a fixed order would charge that to the same workload every time.

    ``clock`` is wall time by default; ``time.process_time`` (CPU time of this process) suits
    single-threaded workloads on a machine shared with other jobs, as it leaves out the time the
    process waited for a core.
    """
    times: list[list[float]] = [[] for _ in workloads]
    n = len(workloads)
    for round_number in range(repeats):
        for i in (*range(round_number % n, n), *range(round_number % n)):
            start = clock()
            workloads[i]()
            times[i].append(clock() - start)
    return [statistics.median(t) for t in times]


def machine_line() -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"_{when}; Python {platform.python_version()}; {platform.machine()}; "
        f"{os.cpu_count()} cores_"
    )


def write_section(name: str, markdown: str) -> None:
    """Replace (or append) the section called ``name`` in RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    block = f"<!-- begin {name} -->\n{markdown.strip()}\n\n{machine_line()}\n<!-- end {name} -->"
    pattern = re.compile(
        rf"<!-- begin {re.escape(name)} -->.*?<!-- end {re.escape(name)} -->", re.S
    )
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text}\n{block}\n"
    RESULTS.write_text(text)
    print(markdown)
