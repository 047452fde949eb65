"""An earlier commit's code beside today's, for the benchmarks that time "before" and "now" in one run.

:func:`extract` writes a revision's files with ``git archive``; a child process that should run the
``export`` package of that revision starts with :data:`CHILD_PRELUDE` and calls
:func:`use_export_package` before anything imports ``ldnkg.export``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

#: Python that makes this module importable in a ``python -c`` child (prepend it to the child's code).
CHILD_PRELUDE = f"import sys\nsys.path.insert(0, {str(HERE)!r})\nfrom revision import use_export_package\n"


def extract(rev: str, dest: Path, *paths: str) -> Path:
    """Write ``paths`` (default: the whole tree) of git revision ``rev`` under ``dest``; return ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, *paths], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def use_export_package(folder: str) -> None:
    """Make ``folder`` (an extracted ``export`` folder) the package ``ldnkg.export`` of this process."""
    spec = importlib.util.spec_from_file_location("ldnkg.export", folder + "/__init__.py",
                                                  submodule_search_locations=[folder])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ldnkg.export"] = module
    spec.loader.exec_module(module)
