"""A hostile student against the pre-warmed kernel template (``sandbox/template.py``,
``sandbox/confine.py``): what the forked kernels keep from the template, from each other and
from the machine, beyond what ``test_template.py`` compares with bubblewrap.

Each test runs one cell as the student would (``run`` of ``test_template.py``). Findings fixed
here: kernel keyrings outlived a kernel (they belong to a user id, and a grading thread runs
every kernel it starts as the same id); a mount below a read-only folder stayed writable; a
kernel inherited its launcher's pipe. The rest check attacks that fail: surviving the run,
reaching the sandbox's init, shared writable memory with the template.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from test_template import run

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="the template needs root (without it, kernels use bubblewrap)"
)

PLANT = r"""
import ctypes, json
libc = ctypes.CDLL(None, use_errno=True)
persistent = libc.syscall(250, 22, ctypes.c_long(-1), ctypes.c_long(-3))  # KEYCTL_GET_PERSISTENT
# the user, user-session and persistent keyrings of the kernel's user id
for name, keyring in ((b'NAME-u', -4), (b'NAME-us', -5), (b'NAME-p', persistent)):
    libc.syscall(248, b'user', name, b'from an earlier kernel', 22, ctypes.c_long(keyring))
print('{}')
"""

FIND = r"""
import ctypes, json
libc = ctypes.CDLL(None, use_errno=True)
persistent = libc.syscall(250, 22, ctypes.c_long(-1), ctypes.c_long(-3))
found = []
for name in (b'NAME-u', b'NAME-us', b'NAME-p'):
  for keyring in (-3, -4, -5, persistent):
    if libc.syscall(250, 10, ctypes.c_long(keyring), b'user', name, 0) > 0:  # KEYCTL_SEARCH
        found.append(name.decode())
        break
print(json.dumps({'found': found}))
"""


@pytest.mark.parametrize("template", [True, False])
def test_keys_a_kernel_leaves_do_not_reach_the_next_kernel(template: bool) -> None:
    name = "ng-redteam-" + os.urandom(4).hex()
    run(PLANT.replace("NAME", name), template=template)
    assert run(FIND.replace("NAME", name), template=template) == {"found": []}


BIND_BELOW = """
import os, sys, tempfile
from neurogebra_grader.sandbox import confine
base = tempfile.mkdtemp()
os.makedirs(f"{base}/source/below"); os.makedirs(f"{base}/target")
confine._check(confine._libc.unshare(confine.CLONE_NEWNS), "unshare")
confine._mount(None, "/", None, confine.MS_REC | confine.MS_PRIVATE)
confine._mount("tmpfs", f"{base}/source/below", "tmpfs", 0, "mode=0777")
confine._bind(f"{base}/source", f"{base}/target", writable=False)
try:
    open(f"{base}/target/below/planted", "w").close()
    print("written")
except OSError as problem:
    print(problem.strerror)
"""


def test_a_mount_below_a_read_only_folder_is_read_only_too() -> None:
    """bubblewrap's ``--ro-bind`` makes every mount below the folder read-only; the template's
    binds did so only for the folder's own mount (say a volume mounted inside the Python
    install: the kernel could have written in it, for every later kernel to import)."""
    done = subprocess.run(
        [sys.executable, "-c", BIND_BELOW], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "Read-only file system"


MOUNTS = r"""
import json, os
mounts = {}
for line in open('/proc/self/mountinfo'):
    fields = line.split()
    mounts[fields[4].replace(os.getcwd(), 'WORKDIR')] = fields[5]
print(json.dumps(mounts))
"""


def test_every_mount_has_the_options_bubblewrap_gives_it() -> None:
    """Not only the same mount points (test_template compares those) but the same options:
    nosuid on each device, nodev on /dev, noexec on /proc's read-only parts."""
    forked, wrapped = run(MOUNTS, template=True), run(MOUNTS, template=False)
    forked.pop("/proc/sys", None)  # read-only in both; bubblewrap leaves it no mount of its own
    assert forked.pop("/").startswith("ro,") and wrapped.pop("/").startswith("rw,")  # stricter
    assert forked == wrapped


FDS = r"""
import json, os
ours = {os.readlink(f'/proc/self/fd/{fd}') for fd in (0, 1, 2)}
pipes = []
for fd in os.listdir('/proc/self/fd'):
    try:
        target = os.readlink(f'/proc/self/fd/{fd}')
    except OSError:
        continue
    if target.startswith('pipe:') and target not in ours:
        pipes.append(fd)
print(json.dumps({'other_pipes': pipes}))
"""


def test_a_kernel_holds_no_pipe_but_its_own_output() -> None:
    """The launcher's pipe (it tells init that the launcher was killed) is init's alone."""
    assert run(FDS, template=True) == {"other_pipes": []}


SURVIVE = r"""
import os, subprocess
subprocess.Popen(['/bin/sh', '-c', 'sleep 120 # MARKER'], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:  # a daemon: double fork, new session
    os.setsid()
    if os.fork() == 0:
        os.execv('/bin/sh', ['/bin/sh', '-c', 'sleep 121 # MARKER'])
    os._exit(0)
print('{}')
"""


def _running_with(marker: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(pid))
    return found


def test_no_process_of_a_forked_kernel_outlives_its_run() -> None:
    marker = "ng-survivor-" + os.urandom(4).hex()
    assert run(SURVIVE.replace("MARKER", marker), template=True) == {}
    deadline = time.monotonic() + 5
    while _running_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running_with(marker) == []


REACH = textwrap.dedent(r"""
    import ctypes, json, os, signal
    libc = ctypes.CDLL(None, use_errno=True)
    out = {}
    libc.ptrace(16, 1, 0, 0)  # PTRACE_ATTACH the sandbox's init
    out['ptrace_init'] = os.strerror(ctypes.get_errno())
    for name in ('mem', 'environ'):
        try:
            open(f'/proc/1/{name}', 'rb').read(1)
            out[name] = 'read'
        except OSError as problem:
            out[name] = problem.strerror
    for signum in (signal.SIGINT, signal.SIGSTOP):
        try:
            os.kill(1, signum)
            out[signum.name] = 'sent'
        except PermissionError:
            out[signum.name] = 'refused'
    # writable memory shared with the template (or with any other kernel forked from it)
    out['shared'] = [l.split()[-1] for l in open('/proc/self/maps') if l.split()[1][1:4] == 'w-s'
                     or l.split()[1][1] == 'w' and l.split()[1][3] == 's']
    out['others'] = sorted(p for p in os.listdir('/proc') if p.isdigit() and int(p) > 2
                           and open(f'/proc/{p}/status').read().find('Uid:\t65534') >= 0)
    print(json.dumps(out))
""")


def test_a_kernel_cannot_reach_its_init_nor_share_memory_with_the_template() -> None:
    """Init runs as ``nobody``, not the kernel's user: no ptrace, no memory, no signal. And
    nothing the template mapped is shared writable: every page is the kernel's own copy."""
    assert run(REACH, template=True) == {
        "ptrace_init": "Operation not permitted",
        "mem": "Permission denied",
        "environ": "Permission denied",
        "SIGINT": "refused",
        "SIGSTOP": "refused",
        "shared": [],
        "others": [],
    }


UNLOCK = r"""
import json, subprocess
def in_user_namespace(command):  # root of a user namespace of its own, with its own mounts
    argv = ['unshare', '-U', '-r', '-m', '--propagation', 'private', 'sh', '-c', command]
    done = subprocess.run(argv, capture_output=True, text=True)
    return 'WROTE' in done.stdout
print(json.dumps({
    'usr': in_user_namespace('mount -o remount,bind,rw /usr && touch /usr/x && echo WROTE'),
    'unmount': in_user_namespace('umount -l /usr && touch /usr/x && echo WROTE'),
    'proc_sys': in_user_namespace('umount -l /proc/sys; echo x > /proc/sys/kernel/hostname'
                                  ' && echo WROTE'),
}))
"""


def test_a_user_namespace_does_not_unlock_the_view() -> None:
    """A kernel may make a user namespace and be its root, as under bubblewrap; the view's
    mounts were made by the real root, so they stay locked: none is remounted or removed."""
    assert run(UNLOCK, template=True) == {"usr": False, "unmount": False, "proc_sys": False}


HOLD = r"""
import ctypes, os, socket, time
libc = ctypes.CDLL(None, use_errno=True)
listener = socket.socket(socket.AF_UNIX)
listener.bind(b'\0ng-redteam-NAME')
listener.listen()
segment = libc.shmget(0x4E47, 4096, 0o1666)  # IPC_CREAT
for folder in ('/tmp', '/dev/shm'):
    open(f'{folder}/NAME', 'w').close()
time.sleep(4)
print('{}' if segment >= 0 else '{"shmget": "failed"}')
"""

LOOK = r"""
import ctypes, json, os, socket
libc = ctypes.CDLL(None, use_errno=True)
seen = {}
try:
    socket.socket(socket.AF_UNIX).connect(b'\0ng-redteam-NAME')
    seen['abstract socket'] = True
except OSError:
    pass
if libc.shmget(0x4E47, 0, 0o666) >= 0:
    seen['SysV segment'] = True
for folder in ('/tmp', '/dev/shm'):
    if os.path.exists(f'{folder}/NAME'):
        seen[folder] = True
if sorted(p for p in os.listdir('/proc') if p.isdigit()) != ['1', '2']:
    seen['processes'] = True
print(json.dumps(seen))
"""


def test_two_kernels_at_once_share_nothing() -> None:
    """While one forked kernel holds an abstract socket, a SysV segment and files in /tmp and
    /dev/shm, another forked kernel (another grading thread) finds none of them."""
    name = os.urandom(4).hex()
    holder: dict = {}
    thread = threading.Thread(
        target=lambda: holder.update(run(HOLD.replace("NAME", name), template=True))
    )
    thread.start()
    time.sleep(1.5)
    try:
        assert run(LOOK.replace("NAME", name), template=True) == {}
    finally:
        thread.join()
    assert holder == {}
