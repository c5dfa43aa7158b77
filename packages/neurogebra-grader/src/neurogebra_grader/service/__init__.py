"""The submission service (issue 16): `neurogebra-grader serve`."""
