"""The submission service (issue 16): `neurogebra-grader serve`, standalone or behind JupyterHub."""
