"""The caps a sandboxed kernel runs under.

Example:
    >>> Limits().memory_bytes
    2147483648
    >>> Limits(memory_mb=256, cell_seconds=2).cell_seconds
    2
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    """Resource caps for one submission's kernel.

    ``memory_mb`` is the address-space limit of every process in the sandbox, ``processes``
    the number of processes and threads its user may have, ``cpu_seconds`` the CPU time of
    the kernel process, ``cell_seconds`` the wall-clock time of one cell, ``wall_seconds``
    the wall-clock time of the whole notebook, ``output_bytes`` the total size of everything
    the notebook prints or displays, and ``file_mb`` the size of any one file it writes.
    """

    memory_mb: int = 2048
    processes: int = 64
    cpu_seconds: int = 300
    cell_seconds: float = 60.0
    wall_seconds: float = 240.0
    output_bytes: int = 2_000_000
    file_mb: int = 64

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 1024 * 1024

    def as_dict(self) -> dict[str, float]:
        return asdict(self)
