"""Shared set-up of the submission service's tests (issue 16): real servers on 127.0.0.1."""
