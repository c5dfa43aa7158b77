"""Find and run the Python code blocks of the site's Markdown pages.

The convention the pages follow:

- every fenced ```` ```python ```` block runs; the blocks of one page run in order in one fresh
  interpreter, sharing their variables, like the cells of a notebook;
- a fenced block titled "Output" (```` ```text title="Output" ````) right after a Python block
  shows what that block prints; the test checks the real output against it, with doctest's
  rules (`...` stands for any text, e.g. a number that depends on timing);
- blocks that use PyTorch run only where it is installed (the test says how many it skipped);
- a block titled with a file name (```` ```python title="/etc/jupyter/nbgrader_config.py" ````)
  shows a configuration file: it is only compiled, since the program that reads it defines
  its names (nbgrader's `get_config`).

Run as a script to see what each block of a page prints:
``python tests/docs/codeblocks.py docs/learn/autograd.md``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")


@dataclass
class Block:
    """One fenced code block: its language, the line its code starts on, and its text."""

    language: str
    info: str
    line: int
    code: str
    expected: str | None = None  # the Output block that follows a Python block, if any
    indent: str = ""
    span: tuple[int, int] = (0, 0)  # the body's first line and the closing fence's line (0-based)
    output_block: Block | None = None


def fenced_blocks(text: str) -> list[Block]:
    """Every fenced block of a Markdown text, nested ones (in tabs, admonitions) included."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, info = match["indent"], match["fence"], match["info"].strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = FENCE.match(lines[j])
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        language = info.split()[0].lower() if info else ""
        code = "\n".join(body) + "\n"
        blocks.append(Block(language, info, i + 2, code, indent=indent, span=(i + 1, j)))
        i = j + 1
    return blocks


def python_blocks(text: str) -> list[Block]:
    """The Python blocks of a page, each with the Output block that follows it."""
    blocks = fenced_blocks(text)
    result: list[Block] = []
    for block in blocks:
        if block.language in ("python", "py"):
            result.append(block)
        elif 'title="Output"' in block.info and result:
            if result[-1].expected is not None:
                raise ValueError(f"line {block.line}: two Output blocks follow one Python block")
            result[-1].expected = block.code
            result[-1].output_block = block
    return result


FILE_TITLE = re.compile(r'title="[^"]*\.py"')


def is_file_listing(block: Block) -> bool:
    return FILE_TITLE.search(block.info) is not None


def uses_torch(block: Block) -> bool:
    return re.search(r"\btorch\b", block.code) is not None


def _run_here(path: Path, skip_torch: bool = False) -> list[dict]:
    """Run a page's blocks in this interpreter; one record per block."""
    namespace: dict = {"__name__": "__main__"}
    records = []
    for block in python_blocks(path.read_text()):
        if skip_torch and uses_torch(block):
            records.append({"line": block.line, "output": "", "error": None, "skipped": True})
            continue
        out = io.StringIO()
        error = None
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            try:
                code = compile(block.code, f"{path}:{block.line}", "exec")
                if not is_file_listing(block):
                    exec(code, namespace)
            except BaseException:  # report every failure, SystemExit included
                error = traceback.format_exc()
        records.append({"line": block.line, "output": out.getvalue(), "error": error})
        if error:
            break
    return records


def run_page(path: Path, timeout: float = 600, skip_torch: bool = False) -> list[dict]:
    """Run a page's blocks in a fresh interpreter, in an empty temporary folder
    (``skip_torch``: leave out the blocks that use PyTorch)."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--json", str(path.resolve()),
             *(["--skip-torch"] if skip_torch else [])],
            cwd=folder, env=env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"running {path} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def update_outputs(path: Path) -> None:
    """Authoring aid: rewrite the page's Output blocks with what their Python blocks print now
    (read the diff before committing: the test then holds the page to it)."""
    lines = path.read_text().splitlines()
    records = {r["line"]: r for r in run_page(path)}
    for block in reversed(python_blocks("\n".join(lines))):
        record = records.get(block.line)
        if record is None or block.output_block is None:
            continue
        if record["error"]:
            raise SystemExit(f"{path}:{block.line} failed:\n{record['error']}")
        out = block.output_block
        body = [out.indent + line if line else "" for line in record["output"].splitlines()]
        lines[out.span[0] : out.span[1]] = body
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--update":
        for name in argv[1:]:
            update_outputs(Path(name))
        return
    if argv and argv[0] == "--json":
        records = _run_here(Path(argv[1]), skip_torch="--skip-torch" in argv)
        sys.stdout = sys.__stdout__
        print(json.dumps(records))
        return
    for name in argv:
        for record in run_page(Path(name)):
            print(f"----- {name}:{record['line']}")
            print(record["output"], end="")
            if record["error"]:
                print(record["error"])


if __name__ == "__main__":
    main(sys.argv[1:])
