"""The distribution plugs into `neurogebra` through its entry points."""

from __future__ import annotations

from importlib.metadata import entry_points, version

import neurogebra
import neurogebra_models


def test_names_come_from_the_neurogebra_package():
    from neurogebra import ModelBuilder, NeuroCraft

    assert ModelBuilder is neurogebra_models.ModelBuilder
    assert NeuroCraft is neurogebra_models.NeuroCraft


def test_entry_points_are_declared_in_the_installed_metadata():
    names = {e.name: e.value for e in entry_points(group=neurogebra.EXPORTS_GROUP)}
    assert names["ModelBuilder"] == "neurogebra_models:ModelBuilder"
    assert names["NeuroCraft"] == "neurogebra_models:NeuroCraft"


def test_version_matches_the_distribution_and_core_is_in_range():
    assert neurogebra_models.__version__ == version("neurogebra-models") == "0.3.0"
    major, minor = (int(p) for p in version("neurogebra-core").split(".")[:2])
    assert (major, minor) >= (0, 2) and (major, minor) < (0, 4)
