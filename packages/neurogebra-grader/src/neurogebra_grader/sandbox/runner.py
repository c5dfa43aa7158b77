"""Execute a notebook cell by cell in a sandboxed kernel; report outputs, errors and observations.

The runner enforces the time and output caps itself: a cell that runs too long or a
notebook over its wall-clock budget, a flood of output, or a kernel that dies ends the run
with a clear error; cells already run keep their results. The kernel is killed, never
interrupted, so code that ignores SIGINT cannot hold the grader up.

Observations are what test cells report for the trusted grader to judge (see
:mod:`neurogebra_grader.pipeline.observer`); the runner takes them out of the outputs.

Example:
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    >>> run = run_notebook(nb, Path(tempfile.mkdtemp()), Limits(), sandbox=False)
    >>> run.cells[0].text()
    '42\\n'
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from neurogebra_grader.sandbox.kernel import sandboxed_kernel_manager
from neurogebra_grader.sandbox.limits import Limits

OBSERVATION_MIME = "application/vnd.neurogebra.observation+json"


@dataclass
class CellRun:
    """One cell's run: ``status`` is ok, error, timeout, killed or not run."""

    index: int
    status: str = "not run"
    error: str = ""
    outputs: list[dict[str, Any]] = field(default_factory=list)
    observations: list[Any] = field(default_factory=list)

    def text(self) -> str:
        return "".join(o.get("text", "") for o in self.outputs if o.get("output_type") == "stream")


@dataclass
class NotebookRun:
    """A whole run: one CellRun per cell, plus the error that ended it early, if any."""

    cells: list[CellRun]
    error: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "cells": [c.__dict__ for c in self.cells],
            "error": self.error,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NotebookRun:
        return cls([CellRun(**c) for c in data["cells"]], data["error"], data["seconds"])


class _OutputLimit(Exception):
    pass


class _CappedClient(NotebookClient):
    """nbclient's client, counting output bytes; past the cap it kills the kernel."""

    output_cap: int = 0
    output_used: int = 0
    flooded: bool = False

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        if msg["msg_type"] in {
            "stream",
            "display_data",
            "execute_result",
            "error",
            "update_display_data",
        }:
            self.output_used += len(json.dumps(msg["content"], default=str))
            if self.output_used > self.output_cap:
                if not self.flooded:
                    self.flooded = True
                    _kill(self.km)
                return None
        return super().process_message(msg, cell, cell_index)


def _kill(km: Any) -> None:
    """Kill the sandbox (bwrap's death takes every process in its pid namespace with it)."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is not None and process.poll() is None:
        process.kill()


def _cell_error(outputs: list[dict[str, Any]]) -> str:
    for out in outputs:
        if out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"[:500]
    return ""


def _split_observations(outputs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Any]]:
    kept, observed = [], []
    for out in outputs:
        data = out.get("data") or {}
        if out.get("output_type") == "display_data" and OBSERVATION_MIME in data:
            observed.append(json.loads(json.dumps(data[OBSERVATION_MIME])))  # plain dicts
        else:
            kept.append(out)
    return kept, observed


async def _run(nb: Any, workdir: Path, limits: Limits, sandbox: bool) -> NotebookRun:
    start = time.monotonic()
    deadline = start + limits.wall_seconds
    cells = [CellRun(i) for i in range(len(nb.cells))]
    km = sandboxed_kernel_manager(workdir, limits, sandbox=sandbox)
    client = _CappedClient(
        nb,
        km=km,
        timeout=limits.cell_seconds,
        interrupt_on_timeout=False,
        allow_errors=True,
        startup_timeout=30,
        iopub_timeout=5,
        kernel_name="",
        resources={"metadata": {"path": str(workdir)}},
        shutdown_kernel="immediate",  # it is killed anyway: no graceful wait
    )
    client.output_cap = limits.output_bytes
    error = ""
    try:
        await km.start_kernel(
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(workdir)
        )
        async with client.async_setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    cells[index].status = "skipped"
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    error = f"the notebook ran out of time ({limits.wall_seconds:g} s in all)"
                    break
                client.timeout = max(1, int(min(limits.cell_seconds, remaining)))
                run = cells[index]
                try:
                    await client.async_execute_cell(cell, index)
                except CellTimeoutError:
                    run.status = "timeout"
                    run.error = f"the cell ran longer than {client.timeout} s and was stopped"
                    error = f"cell {index + 1}: {run.error}"
                except DeadKernelError:
                    run.status = "killed"
                    if client.flooded:
                        run.error = f"the output passed {limits.output_bytes:,} bytes"
                    else:
                        run.error = "the kernel died (it crashed, exited or ran out of memory)"
                    error = f"cell {index + 1}: {run.error}"
                outputs = [dict(o) for o in cell.get("outputs", [])]
                run.outputs, run.observations = _split_observations(outputs)
                if run.status == "not run":
                    run.error = _cell_error(run.outputs)
                    run.status = "error" if run.error else "ok"
                if client.flooded and not error:
                    run.status = "killed"
                    run.error = f"the output passed {limits.output_bytes:,} bytes"
                    error = f"cell {index + 1}: {run.error}"
                if error:
                    break
    except Exception as exc:  # the kernel never came up, or its channels broke
        error = error or f"the kernel failed: {type(exc).__name__}: {exc}"[:500]
    finally:
        _kill(km)
        with contextlib.suppress(Exception):
            await km.shutdown_kernel(now=True)
        await km.cleanup_resources()
    return NotebookRun(cells, error, time.monotonic() - start)


def run_notebook(nb: Any, workdir: Path, limits: Limits, *, sandbox: bool = True) -> NotebookRun:
    """Run every code cell of ``nb`` (a NotebookNode, modified in place) in ``workdir``."""
    nb = nb if isinstance(nb, nbformat.NotebookNode) else nbformat.from_dict(nb)
    return asyncio.run(_run(nb, workdir, limits, sandbox))


__all__ = ["OBSERVATION_MIME", "CellRun", "NotebookRun", "run_notebook", "tempfile"]
