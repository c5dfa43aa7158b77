"""The command line starts without building rfc3987_syntax's grammar (see ``cli/__init__``),
and nbformat still validates notebooks in it."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import neurogebra_grader.cli.main
import nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')])
nbformat.validate(nb)
bad = nbformat.v4.new_notebook()
bad.cells.append({'cell_type': 'code'})
try:
    nbformat.validate(bad)
    print('bad notebook accepted')
except nbformat.ValidationError:
    pass
print(sys.modules.get('rfc3987_syntax', 'never imported'))
"""


def test_the_command_line_skips_the_grammar_and_still_validates() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() in (["None"], ["never imported"])
