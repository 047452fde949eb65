"""Every ``>>>`` example in ldnkg.graph.analysis runs and gives the documented result."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ldnkg.graph.analysis as analysis

MODULES = sorted(m.name for m in pkgutil.iter_modules(analysis.__path__, "ldnkg.graph.analysis."))


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} example(s) failed in {name}"
