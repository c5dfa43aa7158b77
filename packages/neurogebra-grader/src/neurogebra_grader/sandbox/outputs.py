"""Turn a kernel's output message into a notebook output, validated cheaply.

nbclient builds each output with ``nbformat.v4.output_from_msg``, which checks it against
the notebook schema by ``$ref``: jsonschema then makes a new validator and resolves the
reference for every single output, the grader's largest CPU cost per submission. Here the
schema of each output type is compiled once per process (:mod:`neurogebra_grader.nbschema`).
An output it accepts is built as nbformat builds it; anything else (a type or a shape it
does not know, a field missing, an output the schema refuses) goes to nbformat's own
function, so a hostile output fails exactly as it did.

Example:
    >>> msg = {"header": {"msg_type": "stream"}, "content": {"name": "stdout", "text": "42"}}
    >>> output_from_msg(msg)
    {'output_type': 'stream', 'name': 'stdout', 'text': '42'}
"""

from __future__ import annotations

from typing import Any

import nbclient.client
import nbformat
from nbformat.v4 import nbbase

from neurogebra_grader.nbschema import validator

# the fields each output type takes from the message's content, in nbformat's order
FIELDS = {
    "stream": ("name", "text"),
    "display_data": ("metadata", "data"),
    "execute_result": ("metadata", "data", "execution_count"),
    "error": ("ename", "evalue", "traceback"),
}


def output_from_msg(msg: dict[str, Any]) -> Any:
    """The output node of an IOPub message, as ``nbformat.v4.output_from_msg`` makes it."""
    try:
        output_type = msg["header"]["msg_type"]
        content = msg["content"]
        fields = FIELDS[output_type]
        node = nbformat.from_dict(
            {"output_type": output_type, **{name: content[name] for name in fields}}
        )
        validator(output_type)(node)
    except Exception:  # nbformat decides (and raises) as it always did
        return nbbase.output_from_msg(msg)
    return node


def install() -> None:
    """Make nbclient build outputs with :func:`output_from_msg` (idempotent, process-wide)."""
    nbclient.client.output_from_msg = output_from_msg  # type: ignore[attr-defined]
