"""Turn a kernel's output message into a notebook output, validated cheaply.

nbclient builds each output with ``nbformat.v4.output_from_msg``, which checks it against
the notebook schema by ``$ref``: jsonschema then makes a new validator and resolves the
reference for every single output, the grader's largest CPU cost per submission. Here the
schema of each output type is compiled once per process (fastjsonschema, nbformat's own
default for whole notebooks). An output it accepts is built as nbformat builds it; anything
else (a type or a shape it does not know, a field missing, an output the schema refuses) goes
to nbformat's own function, so a hostile output fails exactly as it did.

Example:
    >>> msg = {"header": {"msg_type": "stream"}, "content": {"name": "stdout", "text": "42"}}
    >>> output_from_msg(msg)
    {'output_type': 'stream', 'name': 'stdout', 'text': '42'}
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastjsonschema
import nbclient.client
import nbformat
from nbformat.v4 import nbbase

# the fields each output type takes from the message's content, in nbformat's order
FIELDS = {
    "stream": ("name", "text"),
    "display_data": ("metadata", "data"),
    "execute_result": ("metadata", "data", "execution_count"),
    "error": ("ename", "evalue", "traceback"),
}

_COMPILED: dict[str, Callable[[Any], Any]] = {}
_LOCK = threading.Lock()


def _validator(output_type: str) -> Callable[[Any], Any]:
    """The compiled schema of one output type (of the newest v4 schema, as nbformat's)."""
    with _LOCK:
        found = _COMPILED.get(output_type)
        if found is None:
            name = nbbase.nbformat_schema[(nbbase.nbformat, nbbase.nbformat_minor)]
            schema = json.loads((Path(nbbase.__file__).parent / name).read_text("utf-8"))
            ref = {"$ref": f"#/definitions/{output_type}"}
            one = {"$schema": schema["$schema"], "definitions": schema["definitions"], **ref}
            found = _COMPILED[output_type] = fastjsonschema.compile(one)
        return found


def output_from_msg(msg: dict[str, Any]) -> Any:
    """The output node of an IOPub message, as ``nbformat.v4.output_from_msg`` makes it."""
    try:
        output_type = msg["header"]["msg_type"]
        content = msg["content"]
        fields = FIELDS[output_type]
        node = nbformat.from_dict(
            {"output_type": output_type, **{name: content[name] for name in fields}}
        )
        _validator(output_type)(node)
    except Exception:  # nbformat decides (and raises) as it always did
        return nbbase.output_from_msg(msg)
    return node


def install() -> None:
    """Make nbclient build outputs with :func:`output_from_msg` (idempotent, process-wide)."""
    nbclient.client.output_from_msg = output_from_msg  # type: ignore[attr-defined]
