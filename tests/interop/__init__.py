"""The peers' own validators (kgx, bmt, owlready2 + HermiT, nanopub), run in ``.venv-interop``.

kgx and bmt pin older dependencies than ldnkg, so they live in a venv of their own, made by
``make interop`` from ``tests/interop/requirements.txt`` and ``constraints.txt``. The scripts beside
this file run inside that venv on files the build wrote and print JSON; :func:`run` calls one of them
and fails (under CI) or skips (elsewhere) when the venv or Java is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import REPO, require

HERE = Path(__file__).resolve().parent
PYTHON = REPO / ".venv-interop" / "bin" / "python"


def run(script: str, *args: str | Path, java: bool = False, timeout: float = 600) -> Any:
    """Run ``tests/interop/<script>`` in the interop venv and return its JSON output."""
    require(PYTHON.is_file(), f"{PYTHON} not found: run `make interop`")
    if java:
        require(shutil.which("java") is not None, "java not found: apt-get install openjdk-17-jre-headless")
    proc = subprocess.run([str(PYTHON), str(HERE / script), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{script} failed:\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout)
