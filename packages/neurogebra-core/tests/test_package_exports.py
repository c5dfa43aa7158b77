"""The `neurogebra` package root: lazy core names, and names that sibling distributions provide.

The sibling case is tested without uninstalling anything: `neurogebra` looks names up through
`entry_points`, which these tests replace to pretend neurogebra-models is (or is not) there.
"""

from __future__ import annotations

import pytest

import neurogebra


def _forget(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Drop a cached export so that the next look-up goes through __getattr__ again."""
    monkeypatch.delitem(neurogebra.__dict__, name, raising=False)


@pytest.mark.parametrize("name", ["ModelBuilder", "NeuroCraft"])
def test_missing_sibling_raises_import_error_naming_the_package(monkeypatch, name):
    _forget(monkeypatch, name)
    monkeypatch.setattr(neurogebra, "entry_points", lambda **selection: [])
    message = r"provided by the 'neurogebra-models' distribution"
    with pytest.raises(ImportError, match=message) as info:
        getattr(neurogebra, name)
    assert "pip install neurogebra-models" in str(info.value)
    assert "pip install -e packages/neurogebra-models" in str(info.value)
    with pytest.raises(ImportError, match="neurogebra-models"):
        exec(f"from neurogebra import {name}", {})


def test_installed_sibling_is_loaded_from_its_entry_point(monkeypatch):
    class FakeEntryPoint:
        name = "ModelBuilder"

        @staticmethod
        def load():
            return "the builder"

    calls = []

    def fake_entry_points(**selection):
        calls.append(selection)
        return [FakeEntryPoint] if selection.get("name") == "ModelBuilder" else []

    _forget(monkeypatch, "ModelBuilder")
    monkeypatch.setattr(neurogebra, "entry_points", fake_entry_points)
    assert neurogebra.ModelBuilder == "the builder"
    assert calls == [{"group": "neurogebra.exports", "name": "ModelBuilder"}]


def test_unknown_names_are_attribute_errors(monkeypatch):
    monkeypatch.setattr(neurogebra, "entry_points", lambda **selection: [])
    with pytest.raises(AttributeError, match="no attribute 'ModelBiulder'"):
        neurogebra.ModelBiulder


def test_core_names_are_lazy_and_listed():
    assert {"Value", "Tensor", "ModelBuilder", "NeuroCraft"} <= set(dir(neurogebra))
    from neurogebra.core.autograd import Value

    assert neurogebra.Value is Value
