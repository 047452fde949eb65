"""The build pipeline behind ``ldnkg build``: load → verify sources → validate → infer → write.

Everything is written into a fresh temporary folder beside ``--out`` and swapped in only when
every step has succeeded, so on any error nothing in ``--out`` changes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from ldnkg.graph.load import load
from ldnkg.graph.provenance import SourceText, attach_quotes, match_sources, verify_locators
from ldnkg.graph.reason import infer
from ldnkg.graph.validate import validate
from ldnkg.ontology import ONTOLOGY_DIR

__all__ = ["WRITERS", "BuildResult", "build", "prepare"]

Writer = Callable[[Dataset, Path], None]
Progress = Callable[[str], None]


def _writers() -> list[tuple[str, Writer]]:
    # imported here so that `import ldnkg` stays light
    from ldnkg.export import explorer, kgx, networks, rdf, report

    return [
        ("ldn.ttl", rdf.write_turtle),
        ("ldn.nt", rdf.write_ntriples),
        ("ldn.trig", rdf.write_trig),
        ("ldn.nq", rdf.write_nquads),
        ("ldn.jsonld", rdf.write_jsonld),
        ("ldn-inferred.ttl", rdf.write_inferred_turtle),
        ("ldn.graphml", networks.write_graphml),
        ("ldn.gexf", networks.write_gexf),
        ("ldn.cyjs", networks.write_cyjs),
        ("nodes.tsv", kgx.write_nodes),
        ("edges.tsv", kgx.write_edges),
        ("explorer.html", explorer.write_explorer),
        ("report.html", report.write_report),
    ]


#: Output files in the order they are written: (file name, writer). Extend to add an export.
WRITERS: list[tuple[str, Writer]] = []


@dataclass
class BuildResult:
    """What a build produced: the dataset, the files, and what was checked."""

    dataset: Dataset
    out: Path
    files: list[Path] = field(default_factory=list)
    locators_verified: int = 0
    quotes: int = 0
    inferred: int = 0


def prepare(
    *, root: Path = ONTOLOGY_DIR, sources: Sequence[Path | str] = (), progress: Progress | None = None
) -> tuple[Dataset, int, int, int]:
    """Load, verify sources, validate and infer; return (dataset, locators, quotes, inferred)."""
    say = progress or (lambda _msg: None)
    say(f"loading {root}")
    ds = load(root)
    texts = [SourceText.read(p) for p in sources]
    verified = quotes = 0
    if texts:
        say(f"verifying locators against {len(texts)} source text(s)")
        paired = match_sources(ds, texts)
        verified = verify_locators(ds, paired)
        quotes = attach_quotes(ds, paired)
    say("validating with SHACL")
    validate(ds, root=root)
    say("inferring (OWL 2 RL)")
    inferred = infer(ds)
    return ds, verified, quotes, inferred


def build(
    out: Path | str = "build",
    *,
    root: Path = ONTOLOGY_DIR,
    sources: Sequence[Path | str] = (),
    progress: Progress | None = None,
    writers: Sequence[tuple[str, Writer]] | None = None,
) -> BuildResult:
    """Build every export into ``out`` atomically.

    >>> import tempfile, pathlib
    >>> result = build(pathlib.Path(tempfile.mkdtemp()) / "b")
    >>> sorted(p.name for p in result.files)[:3]
    ['edges.tsv', 'explorer.html', 'ldn-inferred.ttl']
    """
    say = progress or (lambda _msg: None)
    out = Path(out)
    ds, verified, quotes, inferred = prepare(root=root, sources=sources, progress=progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        files = []
        for name, write in writers or WRITERS or _writers():
            say(f"writing {name}")
            write(ds, staging / name)
            files.append(out / name)
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(ds, out, files, verified, quotes, inferred)


def _swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with renames only (the old folder is kept until the end)."""
    os.chmod(staging, 0o755)
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
