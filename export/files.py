"""Writing output files atomically: a failure never leaves a partial file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: Path | str, data: str | bytes) -> Path:
    """Write ``data`` (UTF-8 text with LF newlines, or bytes) to ``path`` via a temporary
    file in the same folder and a rename; return the path.

    >>> import tempfile, pathlib
    >>> p = write_atomically(pathlib.Path(tempfile.mkdtemp()) / "a" / "x.txt", "hi\\n")
    >>> p.read_text()
    'hi\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
