"""The instructor's command line, ``neurogebra-grader``: see :mod:`neurogebra_grader.cli.main`."""
