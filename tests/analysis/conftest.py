"""Shared fixtures: the packaged graph, projected once per session."""

from __future__ import annotations

import networkx as nx
import pytest

from ldnkg.graph.load import load
from ldnkg.graph.project import to_networkx

E = "https://w3id.org/ldnkg/entity/"


@pytest.fixture(scope="session")
def dataset():
    return load()


@pytest.fixture(scope="session")
def graph(dataset) -> nx.MultiDiGraph:
    return to_networkx(dataset)
