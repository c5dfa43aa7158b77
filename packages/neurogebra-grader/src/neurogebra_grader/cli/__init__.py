"""The ``neurogebra-grader`` command line.

Every command imports nbformat, which imports jsonschema, which imports ``rfc3987_syntax``
when it is installed (jupyter-events pulls it in). That module builds a parsing grammar as
it is imported: one to two seconds of CPU on every command, for a format checker ("iri",
"iri-reference") that no schema the grader validates uses (nbformat validates without format
checkers). So the command line tells Python the module is absent, before anything imports
jsonschema; jsonschema then simply leaves those two formats unchecked. Kernels never import
this package, so a student's code sees the environment as installed.

Example (a fresh interpreter)::

    $ python -c "import neurogebra_grader.cli, nbformat, sys; print(sys.modules['rfc3987_syntax'])"
    None
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
