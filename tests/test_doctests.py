"""Every ``>>>`` example in the package's docstrings runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ["ldnkg", "ldnkg.graph", "ldnkg.graph.analysis", "ldnkg.export", "ldnkg.ontology"]


def _modules() -> list[str]:
    # walk each sub-package separately: they live in different top-level folders
    names = set(PACKAGES)
    for package in PACKAGES:
        path = importlib.import_module(package).__path__
        names.update(f"{package}.{m.name}" for m in pkgutil.iter_modules(path) if not m.ispkg)
    return sorted(n for n in names if not n.endswith("__main__"))


MODULES = _modules()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    if name.startswith("ldnkg.graph.analysis."):  # the analysis API documents itself by example
        assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
