"""The caps a sandboxed kernel runs under, each one per submission.

Example:
    >>> Limits().memory_bytes
    2147483648
    >>> Limits(memory_mb=256, cell_seconds=2).cell_seconds
    2
    >>> Limits(disk_mb=64).disk_bytes
    67108864
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    """Resource caps for one submission's kernel (README: "Threat model" says who enforces each).

    Time: ``cell_seconds`` is the wall-clock time of one cell and ``wall_seconds`` of the whole
    notebook (the runner); ``cpu_seconds`` the CPU time of each process (``RLIMIT_CPU``).

    Memory and processes: ``memory_mb`` caps every process's address space (``RLIMIT_AS``) and,
    where cgroups can be used, the whole sandbox's memory including tmpfs pages; ``processes``
    caps its processes and threads (cgroup ``pids``, and ``RLIMIT_NPROC`` of its own user).
    ``cpus`` is the most CPU the sandbox gets, in cores, however many threads it spins
    (cgroup CPU quota), so a neighbour graded at the same time keeps its share.

    Disk: everything the sandbox can write (its copy of the submission, ``/tmp`` and
    ``/dev/shm``) lives in one private tmpfs of ``disk_mb`` megabytes and ``inodes`` files and
    folders; ``file_mb`` caps any one file (``RLIMIT_FSIZE``).

    What the kernel sends the grader: ``output_bytes`` of printed or displayed output are kept;
    past ``messages`` messages, ``message_bytes`` bytes in all, or ``messages_per_second`` in
    any one second, the kernel is killed and its submission fails with a message saying so.
    """

    memory_mb: int = 2048
    processes: int = 64
    cpu_seconds: int = 300
    cell_seconds: float = 60.0
    wall_seconds: float = 240.0
    output_bytes: int = 2_000_000
    file_mb: int = 64
    disk_mb: int = 256
    inodes: int = 10_000
    cpus: float = 1.0
    messages: int = 20_000
    message_bytes: int = 32_000_000
    messages_per_second: int = 5_000

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not value > 0:
                raise ValueError(f"the sandbox limit {name} must be positive, not {value!r}")

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 1024 * 1024

    @property
    def disk_bytes(self) -> int:
        return self.disk_mb * 1024 * 1024

    def as_dict(self) -> dict[str, float]:
        return asdict(self)
