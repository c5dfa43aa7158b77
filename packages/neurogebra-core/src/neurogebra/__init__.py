"""Neurogebra: machine learning from first principles.

The ``neurogebra`` package is shared by several separately versioned distributions.
``neurogebra-core`` owns this module and everything under ``neurogebra.core``; sibling
distributions (``neurogebra-models``, ...) contribute public names through the
``neurogebra.exports`` entry-point group, so ``from neurogebra import ModelBuilder`` works
whenever ``neurogebra-models`` is installed (normally or editable) and otherwise raises an
ImportError that names the package to install.

Example:
    >>> from neurogebra import Value
    >>> (Value(2.0) * 3).data
    6.0
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, entry_points, version

try:
    __version__ = version("neurogebra-core")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

# Names defined in neurogebra-core itself, imported on first use so that
# ``import neurogebra`` stays cheap (SymPy alone takes half a second to import).
_CORE_EXPORTS: dict[str, str] = {
    "Value": "neurogebra.core.autograd",
    "draw_graph": "neurogebra.core.autograd",
    "Expression": "neurogebra.core.expression",
    "MathForge": "neurogebra.core.forge",
    "Trainer": "neurogebra.core.trainer",
}

# Names that sibling distributions provide; used only to say what to install.
_SIBLING_EXPORTS: dict[str, str] = {
    "ModelBuilder": "neurogebra-models",
    "NeuroCraft": "neurogebra-models",
}

EXPORTS_GROUP = "neurogebra.exports"

__all__ = sorted([*_CORE_EXPORTS, *_SIBLING_EXPORTS])


def _from_sibling(name: str) -> object | None:
    """Load ``name`` from an installed sibling distribution's entry point, if any."""
    for entry in entry_points(group=EXPORTS_GROUP, name=name):
        return entry.load()
    return None


def __getattr__(name: str) -> object:
    if name in _CORE_EXPORTS:
        value = getattr(import_module(_CORE_EXPORTS[name]), name)
    else:
        value = _from_sibling(name)
        if value is None:
            if name in _SIBLING_EXPORTS:
                dist = _SIBLING_EXPORTS[name]
                raise ImportError(
                    f"neurogebra.{name} is provided by the '{dist}' distribution, which is not "
                    f"installed. Install it with `pip install {dist}` (from a checkout: "
                    f"`pip install -e packages/{dist}`).",
                    name=name,
                )
            raise AttributeError(f"module 'neurogebra' has no attribute {name!r}")
    globals()[name] = value  # cache: later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
