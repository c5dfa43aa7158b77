"""Red team, section 3 of issue #12: one submission's resources are its own.

Each attacker answers parts 1 and 2 of the toy assignment correctly, then spends its answer
to part 3 (``mean``) on an attack on a shared resource: the disk, inodes, ``/dev/shm``, the
grader's memory through what the kernel sends, processes that try to outlive the sandbox,
and the CPU. The honest class (a correct, a partial and a blank submission) is graded once
alone and once among the attackers, each time in one `autograde --workers 2` run; its grades
must be identical. Every attacker must score at most what an honest student earns for parts
1 and 2 and what a blank notebook earns for part 3, change nothing outside its sandbox, leave
no process, cgroup or mount behind, and be named in the report (an error or a flag).
"""

from __future__ import annotations

import os

import pytest
from classroom import (
    HONEST_SCORES,
    grade_class,
    honest_class,
    leftover_cgroups,
    leftover_mounts,
    notebook,
    processes_with,
)

from neurogebra_grader.sandbox import cgroups

# the private tmpfs needs root and the CPU share a writable cgroup tree (README: "Threat
# model"); without them a disk fill would land on this machine's own disk
pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not cgroups.support().kind,
    reason=f"per-submission disk and CPU caps need root and cgroups: {cgroups.support().reason}",
)

WRONG_MEAN = "\ndef mean(xs):\n    return 0.0\n"
MARKER = "7340.125"  # daemons run `sleep 7340.125...`, so a survivor can be found by name

ATTACKS: dict[str, tuple[str, str]] = {
    # (attack code, what the report must say about it: an error text or a flag code)
    "a_cpu_hog": (
        "import os\n"
        "for _ in range(8):\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        while True:\n"
        "            pass\n"
        "while True:\n"
        "    pass\n",
        "ran longer than",
    ),
    "disk_fill": (
        "chunk = b'A' * (1 << 20)\n"
        "for n in range(10_000):\n"
        "    try:\n"
        "        with open(f'fill{n}.bin', 'wb') as f:\n"
        "            for _ in range(60):\n"
        "                f.write(chunk)\n"
        "    except OSError as error:\n"
        "        print('stopped', n, error)\n"
        "        break\n",
        "disk filled up",
    ),
    "tmp_fill": (
        "import os\nchunk = b'B' * (1 << 20)\n"
        "for n in range(10_000):\n"
        "    try:\n"
        "        with open(f'/tmp/fill{n}', 'wb') as f:\n"
        "            for _ in range(60):\n"
        "                f.write(chunk)\n"
        "    except OSError:\n"
        "        break\n",
        "disk filled up",
    ),
    "inode_bomb": (
        "import os\nmade = 0\n"
        "try:\n"
        "    for d in range(1_000_000):\n"
        "        os.mkdir(f'd{d}')\n"
        "        for f in range(1000):\n"
        "            open(f'd{d}/{f}', 'w').close()\n"
        "            made += 1\n"
        "except OSError as error:\n"
        "    print('made', made, error)\n",
        "ran out of files",
    ),
    "symlink_bomb_in_shm": (
        "import os\nmade = 0\n"
        "try:\n"
        "    while True:\n"
        "        os.symlink('/dev/null', f'/dev/shm/l{made}')\n"
        "        made += 1\n"
        "except OSError as error:\n"
        "    print('made', made, error)\n",
        "ran out of files",
    ),
    "shm_fill": (
        "chunk = b'C' * (1 << 20)\n"
        "for n in range(10_000):\n"
        "    try:\n"
        "        with open(f'/dev/shm/fill{n}', 'wb') as f:\n"
        "            for _ in range(60):\n"
        "                f.write(chunk)\n"
        "    except OSError:\n"
        "        break\n",
        "disk filled up",
    ),
    "shared_memory_bomb": (
        "from multiprocessing import shared_memory\nblocks = []\n"
        "for _ in range(64):\n"
        "    block = shared_memory.SharedMemory(create=True, size=64 << 20)\n"
        "    block.buf[:] = b'\\x01' * len(block.buf)\n"
        "    blocks.append(block)\n",
        "kernel died",
    ),
    "display_flood": (
        "from IPython.display import HTML, display\n"
        "for _ in range(1_000_000):\n"
        "    display(HTML('<b>spam</b>' * 1000))\n",
        "output passed",
    ),
    "message_flood": (
        "k = get_ipython().kernel\n"
        "for i in range(10_000_000):\n"
        "    k.session.send(k.iopub_socket, 'stream', {'name': 'stdout', 'text': 'x'},"
        " parent={'msg_id': 'not-yours'})\n",
        "the kernel sent more than",
    ),
    "frame_bomb": (
        # one message of 100 frames that are all the same 16 MB buffer: zmq caps each frame,
        # not their number, and buffers the whole message before the grader can count it
        "k = get_ipython().kernel\nbig = memoryview(bytearray(16 << 20))\n"
        "k.session.send(k.iopub_socket, 'stream', {'name': 'stdout', 'text': 'x'},"
        " parent=get_ipython().parent_header, buffers=[big] * 100)\n"
        "import time\ntime.sleep(5)\n",
        "the kernel sent more than",
    ),
    "comm_flood": (
        "ip = get_ipython()\nk = ip.kernel\nstate = {'x': 'y' * 200_000}\n"
        "for i in range(1_000_000):\n"
        "    k.session.send(k.iopub_socket, 'comm_open', {'comm_id': str(i),"
        " 'target_name': 'attack', 'data': {'state': state, 'buffer_paths': []}},"
        " parent=ip.parent_header)\n",
        "the kernel sent more than",
    ),
    "double_fork_daemon": (
        "import os, signal, time\n"
        "for n in range(3):\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        if os.fork() == 0:\n"
        "            signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
        "            signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"            os.execv('/usr/bin/sleep', ['sleep', '{MARKER}1'])\n"
        "        os._exit(0)\n"
        "time.sleep(0.5)\n",
        "process-control",
    ),
    "popen_daemon": (
        "import subprocess, sys\n"
        f"subprocess.Popen(['nohup', 'sleep', '{MARKER}2'], start_new_session=True,\n"
        "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(1)',\n"
        f"                  '{MARKER}3'], start_new_session=True)\n",
        "process-control",
    ),
    "multiprocessing_daemon": (
        "import multiprocessing, os, time\n"
        "def linger():\n"
        "    os.setsid()\n"
        f"    os.execv('/usr/bin/sleep', ['sleep', '{MARKER}4'])\n"
        "worker = multiprocessing.get_context('fork').Process(target=linger, daemon=False)\n"
        "worker.start()\n"
        "time.sleep(0.5)\n",
        "process-control",
    ),
}


def _class(course, port):
    students = honest_class(course)
    for name, (code, _) in ATTACKS.items():
        students[name] = notebook(course, mean=code + WRONG_MEAN)
    return students


@pytest.fixture(scope="module")
def alone(released, tmp_path_factory):
    """The honest class graded on its own."""
    return grade_class(tmp_path_factory.mktemp("alone"), released, honest_class)


@pytest.fixture(scope="module")
def among_attackers(released, tmp_path_factory):
    """The same honest class graded among every attacker, in one run with two workers."""
    return grade_class(tmp_path_factory.mktemp("attacked"), released, _class)


def test_the_honest_class_gets_identical_grades_alone_and_among_attackers(alone, among_attackers):
    scores_alone, scores_attacked = alone.scores(), among_attackers.scores()
    rows_alone, rows_attacked = alone.ledger(), among_attackers.ledger()
    for student, expected in HONEST_SCORES.items():
        assert scores_alone[student] == expected, (student, rows_alone[student])
        assert scores_attacked[student] == expected, (student, rows_attacked[student])
        assert rows_attacked[student]["verdicts"] == rows_alone[student]["verdicts"]
        assert rows_attacked[student]["errors"] == rows_alone[student]["errors"]


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_an_attack_on_a_shared_resource_is_contained(among_attackers, student):
    graded = among_attackers
    scores, rows = graded.scores(), graded.ledger()
    # no undeserved point: parts 1 and 2 as answered, part 3 no more than a blank notebook
    assert scores[student]["test_square"] <= HONEST_SCORES["alice"]["test_square"]
    assert scores[student]["test_engine"] <= HONEST_SCORES["alice"]["test_engine"]
    assert scores[student]["test_mean"] <= HONEST_SCORES["blank"]["test_mean"]
    assert rows[student]["score"] <= 30.0
    # the honest neighbours are untouched
    for honest, expected in HONEST_SCORES.items():
        assert scores[honest] == expected, (honest, rows[honest])
    # nothing outside the sandboxes changed, nobody reached the network
    assert graded.after == graded.before
    assert graded.outside_after == graded.outside_before
    assert graded.listener.accepted == []
    # no process of any sandbox survives its run (daemons included)
    assert graded.survivors(MARKER) == []
    # the attack is named in the report: an error saying which cap, or a tamper flag
    _, named = ATTACKS[student]
    said = rows[student]["errors"] + [flag["code"] for flag in rows[student]["flags"]]
    assert any(named in item for item in said), said
    assert student in graded.export()


def test_no_process_cgroup_or_mount_outlives_its_sandbox(among_attackers):
    assert among_attackers.survivors(MARKER) == []
    assert processes_with(MARKER) == []
    assert leftover_cgroups() == []
    assert leftover_mounts() == []


def test_a_cpu_hog_is_capped_at_its_share(among_attackers):
    """The hog spun on every core; it was stopped by its own cell's time limit."""
    row = among_attackers.ledger()["a_cpu_hog"]
    assert any("ran longer than 20 s" in error for error in row["errors"]), row["errors"]
