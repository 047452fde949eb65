"""Every notebook runs top to bottom with the project's Python, and none is stored with outputs."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


class ProjectKernel(KernelManager):
    """An IPython kernel run by this interpreter (the project's venv), whatever is installed."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file]


def test_the_four_story_notebooks_exist():
    names = {p.stem for p in NOTEBOOKS}
    assert {"01-tour", "02-mechanisms", "03-evidence", "04-extend"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: strip the outputs"
            assert cell.execution_count is None, f"{path.name}: strip the execution counts"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_manager_class=ProjectKernel,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, naming the cell, on the first failure
    assert all(o.output_type != "error" for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)
    if path.stem == "03-evidence":  # the heat map shows as a chart, not as an object's repr
        shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
        assert any("image/svg+xml" in o["data"] and "fibromyalgia" in o["data"]["image/svg+xml"] for o in shown)
