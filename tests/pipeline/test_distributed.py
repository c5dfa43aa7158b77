"""Grading on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1, each worker in its own folder (they share no files with the instructor's course).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import toycourse as tc
from conftest import fresh_course, good, partial

pytest.importorskip("distributed")


def start(args: list[str], cwd: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
        TMPDIR=str(cwd),
        DASK_DISTRIBUTED__WORKER__DAEMON="False",
    )
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers on loopback; stopped after the test."""
    scheduler_file = tmp_path / "scheduler.json"
    processes = [
        start(
            [
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ],
            tmp_path,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        for name in ("w1", "w2"):
            folder = tmp_path / name
            folder.mkdir()
            processes.append(
                start(
                    [
                        "distributed.cli.dask_worker",
                        "--scheduler-file",
                        str(scheduler_file),
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--host",
                        "127.0.0.1",
                        "--no-dashboard",
                        "--name",
                        name,
                        "--local-directory",
                        str(folder),
                    ],
                    folder,
                )
            )
        from distributed import Client

        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
            address = client.scheduler.address
        assert address.startswith("tcp://127.0.0.1:")
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_autograde_on_a_dask_cluster(released, tmp_path, cluster):
    course = fresh_course(tmp_path, released)
    tc.place_submission(course, "alice", good(course))
    tc.place_submission(course, "bob", partial(course))
    tc.place_submission(course, "carl", good(course))
    tc.place_submission(course, "dora", "not a notebook")
    done = tc.grader("autograde", "toy", "--scheduler", cluster, course=course)
    for line in ("alice: 40 / 40", "bob: 30 / 40", "carl: 40 / 40", "dora: 0 / 40"):
        assert line in done.stdout, done.stdout
    from distributed import Client

    with Client(cluster, timeout=30) as client:
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    # three notebooks were run (dora's is not a notebook), spread over both workers
    assert sum(executed.values()) == 3 and all(count >= 1 for count in executed.values()), executed
