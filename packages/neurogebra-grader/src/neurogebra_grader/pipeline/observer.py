"""The kernel side of a graded check: turn its arguments into plain data and publish them.

Test cells are rewritten (see :mod:`neurogebra_grader.pipeline.rewrite`) so that a call such
as ``check_close(mse(y, p), 2.5)`` becomes ``_ng_observe(3, "check_close", {"got": mse(y, p)})``
in the student's kernel. :func:`observe` publishes the plain data as a display message of its
own MIME type; the trusted grader takes it out of the outputs and judges it. Nothing here
decides a grade: a student who patches this module can only report their own answers.

Example:
    >>> probe("array", [1, 2.5], {}, "check_close")
    {'__ndarray__': [1.0, 2.5], 'shape': [2]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neurogebra_grader.checks.check import Probe

OBSERVATION_MIME = "application/vnd.neurogebra.observation+json"


def _default(check: str, name: str) -> Any:
    from neurogebra_grader.checks.registry import REGISTRY

    return REGISTRY[check].defaults()[name]


def probe(kind: str, value: Any, args: dict[str, Any], check: str) -> Any:
    """Plain data for one argument of ``check`` (see probes.py for the kinds)."""
    from neurogebra_grader.pipeline.plaindata import encode, encode_array
    from neurogebra_grader.plain import NotPlain, to_array

    own = _own_probe(check, kind)
    try:
        if kind == "array":
            return encode_array(to_array(value))
        if kind == "exact":
            from neurogebra_grader.checks.equal import plain_exact

            plain = plain_exact(value)
            if plain is None:
                return {"not_plain": f"a {type(value).__name__}"}
            return encode(plain)
        if kind == "value":
            return encode(value)
        if kind == "plain":  # a name a recomputed expected side reads
            try:
                return encode(value)
            except TypeError:
                return encode_array(to_array(value))
        if kind == "isinstance":
            return {
                "isinstance": bool(isinstance(value, args["expected"])),
                "type": type(value).__name__,
            }
        if own is not None:  # a kind only this check reads (checks/<name>.py)

            def setting(name: str) -> Any:
                return args[name] if name in args else _default(check, name)

            return encode(own(value, setting))
    except NotPlain as error:
        return {"not_plain": str(error)}
    except Exception as error:  # the student's object failed while being read
        return {"error": f"{type(error).__name__}: {error}"[:300]}
    raise ValueError(f"unknown probe kind {kind!r}")


_SHARED_KINDS = ("array", "exact", "value", "plain", "isinstance")


def _own_probe(check: str, kind: str) -> Probe | None:
    """The check's own probe for ``kind``, None for a kind the observer probes itself."""
    if kind in _SHARED_KINDS:
        return None
    from neurogebra_grader.checks.registry import REGISTRY

    own = REGISTRY[check].probes.get(kind) if check in REGISTRY else None
    if own is None:
        raise ValueError(f"unknown probe kind {kind!r}")
    return own


def observe(site: int, check: str, args: dict[str, Any], kinds: dict[str, str]) -> None:
    """Publish the plain data of one check call (``site`` numbers the call in its cell)."""
    from IPython.display import publish_display_data

    data = {
        name: probe(kinds[name], value, args, check)
        for name, value in args.items()
        if kinds[name] != "none"
    }
    if "engine" in kinds.values():  # the own-work signal (see own_work.py)
        from neurogebra_grader.checks.value_engine import LIBRARY_VALUES

        if LIBRARY_VALUES:
            data["library_values"] = LIBRARY_VALUES.pop()
    payload = {"site": site, "check": check, "data": data}
    publish_display_data({OBSERVATION_MIME: payload, "text/plain": f"[{check} observed]"})
