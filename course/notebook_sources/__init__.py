"""The course's notebooks as Python: one module per assignment, built by build_notebooks.py."""
