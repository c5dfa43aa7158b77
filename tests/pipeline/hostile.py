"""Hostile submissions for the red-team tests: the answer to part 3 (``mean``) is an attack.

Parts 1 and 2 (``square``, 10 points, and ``Value``, 20 points) are answered correctly, so a
fair grade is exactly 30 of 40: the attack must neither earn part 3 nor cost the earlier parts.
``{course}`` and ``{port}`` are filled in with the course folder and a listening TCP port.
"""

from __future__ import annotations

WRONG_MEAN = "\ndef mean(xs):\n    return 0.0\n"

ATTACKS: dict[str, str] = {
    "infinite_loop": "while True:\n    pass" + WRONG_MEAN,
    "ignores_sigint": (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass" + WRONG_MEAN
    ),
    "os_exit": "import os\nos._exit(3)" + WRONG_MEAN,
    "fork_bomb": (
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
        + WRONG_MEAN
    ),
    "memory_bomb": (
        "blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024 * 1024))" + WRONG_MEAN
    ),
    "output_flood": "for _ in range(100):\n    print('x' * 1_000_000)" + WRONG_MEAN,
    "reads_source_and_gradebook": (
        "import glob, os\nfound = []\n"
        "for pattern in ['{course}/source/*/*', '{course}/gradebook.db',"
        " '{course}/.neurogebra/*/*/*', '{course}/release/*/*', '{course}/submitted/*/*/*',"
        " '{course}/../*', '/root/*', '/work/*']:\n"
        "    for path in glob.glob(pattern):\n"
        "        try:\n            found.append((path, open(path, 'rb').read(200)))\n"
        "        except OSError:\n            pass\n"
        "print('FOUND', [p for p, _ in found])\n"
        "hidden = [c for _, c in found if b'expected_mean' in c]\n"
        "def mean(xs):\n    return 2.5 if hidden else 0.0\n"
    ),
    "writes_outside": (
        "import os\nfor path in ['{course}/source/toy/toy.ipynb', '{course}/nbgrader_config.py',"
        " '{course}/../outside.txt', '{course}/submitted/alice/toy/toy.ipynb', '/usr/lib/evil.py',"
        " '/etc/evil', '{course}/release/toy/toy.ipynb']:\n"
        "    try:\n        os.makedirs(os.path.dirname(path), exist_ok=True)\n"
        "        open(path, 'w').write('owned')\n        print('WROTE', path)\n"
        "    except OSError as error:\n        print('blocked', path, type(error).__name__)\n"
        + WRONG_MEAN
    ),
    "rewrites_other_grades": (
        "import sqlite3\n"
        "try:\n    db = sqlite3.connect('{course}/gradebook.db')\n"
        "    db.execute('UPDATE grade SET auto_score = 0')\n"
        "    db.execute('UPDATE neurogebra_grading SET score = 0')\n    db.commit()\n"
        "    print('REWROTE')\nexcept Exception as error:\n    print('blocked', error)\n"
        "import os\nos.makedirs('{course}/autograded/alice/toy', exist_ok=True)\n" + WRONG_MEAN
    ),
    "opens_network": (
        "import socket\nfor host in ['127.0.0.1', 'localhost']:\n"
        "    try:\n"
        "        socket.create_connection((host, {port}), timeout=2).sendall(b'hello')\n"
        "        print('CONNECTED')\n"
        "    except OSError as error:\n        print('blocked', error)\n" + WRONG_MEAN
    ),
    "reads_environment": (
        "import os, glob\nprint('ENV', dict(os.environ))\n"
        "for path in glob.glob('/proc/*/environ'):\n"
        "    try:\n        print('PROC', path, open(path, 'rb').read())\n"
        "    except OSError:\n        pass\n" + WRONG_MEAN
    ),
    "always_equal": (
        "class Liar(float):\n    def __eq__(self, other):\n        return True\n"
        "    def __ne__(self, other):\n        return False\n    __hash__ = float.__hash__\n"
        "def mean(xs):\n    return Liar(0.0)\n"
    ),
    "patches_allclose": (
        "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)\n"
        "np.all = lambda *a, **k: True\n" + WRONG_MEAN
    ),
    "input_transformer": (
        "def blank(lines):\n    return ['pass\\n']\n"
        "get_ipython().input_transformers_cleanup.append(blank)" + WRONG_MEAN
    ),
    "forges_observations": (
        "from IPython.display import publish_display_data\n"
        "fake = {{'site': 0, 'check': 'check_close',\n"
        "        'data': {{'got': {{'__ndarray__': [2.5], 'shape': []}}}}}}\n"
        "def forge(*args):\n"
        "    publish_display_data({{'application/vnd.neurogebra.observation+json': fake}})\n"
        "get_ipython().events.register('pre_run_cell', forge)\n"
        "import neurogebra_grader.pipeline.observer as observer\n"
        "observer.observe = lambda *a, **k: forge()\n" + WRONG_MEAN
    ),
    "trace_hook": (
        "import sys\n"
        "def tracer(frame, event, arg):\n"
        "    frame.f_locals.update(expected_mean=0.0)\n    return tracer\n"
        "sys.settrace(tracer)" + WRONG_MEAN
    ),
    "patches_builtins": (
        "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.all = lambda *a: True\n"
        "builtins.abs = lambda x: 0\nbuiltins.AssertionError = type('Quiet', (Exception,), {{}})"
        + WRONG_MEAN
    ),
    "kills_its_parent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)" + WRONG_MEAN,
}

# (student, what the grade must show): attacks done on the notebook's structure instead
STRUCTURAL = ("deleted_test_cell", "changed_points", "malformed_json")
