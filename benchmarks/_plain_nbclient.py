"""Run notebooks with plain nbclient, no sandbox: the yardstick of the grading benchmarks.

``python _plain_nbclient.py CONCURRENCY NOTEBOOK...`` executes every notebook in its own folder
(as its working directory), at most CONCURRENCY at once, each in an ordinary local kernel, and
fails if any cell raises. Nothing is kept: the point is the time it takes.

Example:
    $ python benchmarks/_plain_nbclient.py 2 a/nb.ipynb b/nb.ipynb
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


async def _one(path: Path, gate: asyncio.Semaphore) -> None:
    async with gate:
        nb = nbformat.read(path, 4)
        client = NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        await client.async_execute()


async def _all(concurrency: int, paths: list[Path]) -> None:
    gate = asyncio.Semaphore(concurrency)
    await asyncio.gather(*(_one(path, gate) for path in paths))


if __name__ == "__main__":
    asyncio.run(_all(int(sys.argv[1]), [Path(p) for p in sys.argv[2:]]))
