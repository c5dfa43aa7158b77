"""The pre-warmed kernel template (``sandbox/template.py``): a forked kernel sees what a
bubblewrap kernel sees, and nothing one kernel does reaches the next.

Kernels forked from one template share its imported modules copy-on-write; each is confined
on its own (``sandbox/confine.py``). These tests compare a forked kernel with a bubblewrap one
(``NEUROGEBRA_GRADER_TEMPLATE=0``) field by field, then attack the template as a student
would: patching shared modules, looking for an earlier submission's data in memory, killing
the template.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.runner import run_notebook
from neurogebra_grader.sandbox.warm import template_for, template_wanted

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="the template needs root (without it, kernels use bubblewrap)"
)

PROBE = r"""
import json, os, resource, socket, sys
def fds():
    kinds = []
    for fd in sorted(os.listdir('/proc/self/fd'))[1:]:  # stdin: a pipe, or /dev/null
        try:
            target = os.readlink('/proc/self/fd/' + fd)
        except OSError:
            continue
        kinds.append(target.split(':')[0] if ':' in target else target)
    return sorted(k for k in kinds if not k.startswith(('socket', 'pipe', 'anon_inode', '/proc')))
lines = open('/proc/self/status').read().splitlines()
status = dict(line.split(':\t', 1) for line in lines if ':\t' in line)
CAPS = ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs')
RLIMITS = ('AS', 'NPROC', 'CPU', 'FSIZE', 'NOFILE', 'CORE')
mounts = {line.split()[4].replace(os.getcwd(), 'WORKDIR') for line in open('/proc/self/mountinfo')}
probe = {
    'ids': [os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getgroups()],
    'host': socket.gethostname(),
    'pid': os.getpid(), 'ppid': os.getppid(),
    'cwd_is_workdir': os.getcwd() == os.environ['PWD'],
    'sys_path': sys.path,
    'env': sorted(k for k in os.environ),
    'caps': {k: status[k].strip() for k in CAPS},
    'limits': [resource.getrlimit(getattr(resource, 'RLIMIT_' + n)) for n in RLIMITS],
    'mounts': sorted(mounts - {'/proc/sys'}),  # bubblewrap leaves it unmounted, read-only too
    'root': sorted(os.listdir('/')), 'dev': sorted(os.listdir('/dev')),
    'processes': sorted(p for p in os.listdir('/proc') if p.isdigit()),
    'net': sorted(name for _, name in socket.if_nameindex()),
    'files': fds(),
    'cgroup': open('/proc/self/cgroup').read(),
    'dumpable': __import__('ctypes').CDLL(None).prctl(3, 0, 0, 0, 0),
    'init': os.path.basename(open('/proc/1/cmdline').read().split(chr(0))[0]),
    'proc_self': sorted(n for n in os.listdir('/proc/self') if os.access(f'/proc/self/{n}', 4)),
}
def writable(path):
    try:
        open(path, 'w').close(); return True
    except OSError:
        return False
PLACES = ('/usr/x', '/etc/x', '/x', '/proc/sys/kernel/hostname', '/tmp/x', 'x')
probe['writable'] = {p: writable(p) for p in PLACES}
try:
    os.kill(1, 9); probe['kill_init'] = 'done'
except PermissionError:
    probe['kill_init'] = 'PermissionError'
print(json.dumps(probe))
"""


def run(source: str, *, template: bool, workdir: Path | None = None) -> dict:
    """Run one cell in a sandboxed kernel; its printed JSON (or the error)."""
    os.environ["NEUROGEBRA_GRADER_TEMPLATE"] = "1" if template else "0"
    try:
        assert template_wanted(sandbox=True) is template
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        folder = workdir or Path(tempfile.mkdtemp())
        done = run_notebook(nb, folder, Limits(memory_mb=1024, cell_seconds=30))
        assert done.cells[0].status == "ok", done.cells[0].error or done.error
        return json.loads(done.cells[0].text())
    finally:
        os.environ.pop("NEUROGEBRA_GRADER_TEMPLATE", None)


def test_a_forked_kernel_sees_what_a_bubblewrap_kernel_sees() -> None:
    forked, wrapped = run(PROBE, template=True), run(PROBE, template=False)
    assert wrapped.pop("init") == "bwrap" and forked.pop("init").startswith("python")
    assert forked.pop("cgroup").count("\n") == wrapped.pop("cgroup").count("\n")
    assert forked == wrapped
    # and what that is: an unprivileged user, no capability, no network, two processes
    assert forked["ids"][0] >= 200_000 and forked["ids"][4] == []
    assert set(forked["caps"].values()) == {"0000000000000000", "1"}
    assert forked["net"] == ["lo"] and forked["processes"] == ["1", "2"]
    assert forked["writable"] == {
        "/usr/x": False,
        "/etc/x": False,
        "/x": False,
        "/proc/sys/kernel/hostname": False,
        "/tmp/x": True,
        "x": True,
    }
    assert forked["kill_init"] == "PermissionError"


def test_a_kernels_patches_do_not_reach_the_next_kernel() -> None:
    patch = (
        "import numpy, builtins, sys, json\n"
        "numpy.allclose = lambda *a, **k: True\n"
        "builtins.PLANTED = True\n"
        "sys.modules['neurogebra_grader.checks'].PLANTED = True\n"
        "print(json.dumps({'patched': numpy.allclose(1, 2)}))"
    )
    assert run(patch, template=True) == {"patched": True}
    look = (
        "import numpy, builtins, sys, json\n"
        "print(json.dumps({'allclose': numpy.allclose(1, 2),"
        " 'builtins': hasattr(builtins, 'PLANTED'),"
        " 'checks': hasattr(sys.modules['neurogebra_grader.checks'], 'PLANTED')}))"
    )
    assert run(look, template=True) == {"allclose": False, "builtins": False, "checks": False}


SCAN = r"""
import json
HEAD, TAIL = MARKER  # the marker in two halves: the scanner never holds it whole
found = False
with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:
    for line in maps:
        fields = line.split()
        if 'r' not in fields[1] or (len(fields) > 5 and fields[5].startswith('[v')):
            continue
        start, end = (int(x, 16) for x in fields[0].split('-'))
        try:
            mem.seek(start)
            data = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        at = data.find(HEAD)
        while at >= 0 and not found:
            found = data[at + len(HEAD) : at + len(HEAD) + len(TAIL)] == TAIL
            at = data.find(HEAD, at + 1)
print(json.dumps({'found': found}))
"""


def scan_for(marker: str, before: str = "") -> bool:
    """Whether a forked kernel finds ``marker`` in its memory, after running ``before``."""
    half = len(marker) // 2
    halves = f"({marker[:half].encode()!r}, {marker[half:].encode()!r})"
    return run(before + SCAN.replace("MARKER", halves), template=True)["found"]


def test_no_earlier_submission_is_in_a_kernels_memory() -> None:
    """What one submission sent (its code, its folder) is not in the next kernel's memory: the
    template never reads a request, each launcher does."""
    secret = "earlier-student-" + os.urandom(8).hex()
    first = run(f"import json, os\nx = {secret!r}\nprint(json.dumps(os.getcwd()))", template=True)
    assert "/ng-box-" in first
    # the scan finds a marker that is in its own kernel (so a miss means absence)
    own = "own-kernel-" + os.urandom(8).hex()
    assert scan_for(own, f"kept = {own[:5]!r} + {own[5:]!r}\n") is True
    assert scan_for(secret) is False
    assert scan_for(first) is False


def test_a_dead_template_is_started_again() -> None:
    assert run("print('{}')", template=True) == {}
    process = template_for(sys.executable)._process
    assert process is not None and process.poll() is None
    process.kill()
    process.wait()
    assert run("print('{}')", template=True) == {}


def test_a_template_that_cannot_fork_falls_back_to_bubblewrap(monkeypatch) -> None:
    """A broken template costs speed, never a grade: after two failed launches (the second
    from a fresh template) the kernel, and every later one, starts through bubblewrap."""
    from neurogebra_grader.sandbox import warm

    def refuse(self, request):
        raise warm.TemplateUnavailable("refused for the test")

    monkeypatch.setattr(warm.Template, "launch", refuse)
    template = template_for(sys.executable)
    try:
        probe = run(PROBE, template=True)
        assert template.broken
        assert probe["init"] == "bwrap" and probe["kill_init"] == "PermissionError"
        assert run("print('{}')", template=True) == {}
    finally:
        template.broken = False


def test_a_forked_kernel_finds_no_grader_path_in_its_start_environment() -> None:
    """/proc/self/environ shows the environment a process was started with: for a forked
    kernel, the template's. It holds the kernels' own variables, no folder of the grader's."""
    seen = run(
        "import json\nprint(json.dumps(open('/proc/self/environ', 'rb').read().decode()))",
        template=True,
    )
    assert ".cache" not in seen and "neurogebra-grader" not in seen
    assert "MPLBACKEND=Agg" in seen
