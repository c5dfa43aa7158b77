"""The notebook format's schema, one definition at a time, compiled once per process.

``nbformat.validate(node, ref=...)`` makes a new jsonschema validator and resolves the
reference on every call: about 0.1 ms for one output or cell, so the grader's largest cost
per submission was checking the outputs and cells it builds. :func:`validator` compiles the
definition once (fastjsonschema, as nbformat itself checks whole notebooks) and raises on
what the schema refuses. Callers fall back to nbformat's own functions on any error, so a
refused node fails with nbformat's error, as before.

Example:
    >>> check = validator("stream")
    >>> check({"output_type": "stream", "name": "stdout", "text": "42"})["name"]
    'stdout'
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastjsonschema
from nbformat.v4 import nbbase

_COMPILED: dict[str, Callable[[Any], Any]] = {}
_LOCK = threading.Lock()


def validator(definition: str) -> Callable[[Any], Any]:
    """The compiled check of one definition of the v4 schema nbformat validates against."""
    with _LOCK:
        found = _COMPILED.get(definition)
        if found is None:
            name = nbbase.nbformat_schema[(nbbase.nbformat, nbbase.nbformat_minor)]
            schema = json.loads((Path(nbbase.__file__).parent / name).read_text("utf-8"))
            one = {
                "$schema": schema["$schema"],
                "definitions": schema["definitions"],
                "$ref": f"#/definitions/{definition}",
            }
            found = _COMPILED[definition] = fastjsonschema.compile(one, use_default=False)
        return found
