"""`ldnkg build --out DIR` never destroys what it did not make (issue 11.1) and never swaps in
an export that does not read back (issue 11.2, 14 §4).

Most tests drive :func:`ldnkg.build.write_outputs` (the part of the build that touches the
disk) with small writers, so they run in well under a second; the refusals go through the
command line, where they happen before any graph is loaded.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from ldnkg.build import write_outputs
from ldnkg.errors import OutputError
from ldnkg.export import files, rdf
from ldnkg.export.files import MANIFEST
from ldnkg.graph.load import KNOWLEDGE, load
from ldnkg.namespaces import bind_prefixes
from tests.conftest import require

RDF_WRITERS = [(name, write) for name, write in [
    ("ldn.ttl", rdf.write_turtle), ("ldn.nt", rdf.write_ntriples), ("ldn.trig", rdf.write_trig),
    ("ldn.nq", rdf.write_nquads), ("ldn.jsonld", rdf.write_jsonld), ("ldn-inferred.ttl", rdf.write_inferred_turtle),
]]


def ldnkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ldnkg", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})


def text_writer(content: str):
    def write(_ds: Dataset, path: Path) -> None:
        path.write_text(content, encoding="utf-8")

    return write


def small_build(out: Path, content: str = "v1") -> list[Path]:
    return write_outputs(Dataset(), out, writers=[("ldn.ttl", text_writer(f"# {content}\n")),
                                                  ("report.html", text_writer(content))])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))}


def test_a_foreign_folder_is_refused_and_left_exactly_as_it_was(tmp_path: Path) -> None:
    docs = tmp_path / "my-docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "thesis.docx").write_text("years of work", encoding="utf-8")
    before = snapshot(docs)
    run = ldnkg("build", "--out", str(docs))
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: ") and "Traceback" not in run.stderr
    assert f"{docs / 'sub'} was not written by ldnkg build" in run.stderr
    assert snapshot(docs) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-docs"], "a staging folder was left behind"


@pytest.mark.parametrize("how", [".", "$PWD"])
def test_out_dot_or_pwd_of_a_checkout_is_refused(tmp_path: Path, how: str) -> None:
    checkout = tmp_path / "checkout"
    (checkout / "src").mkdir(parents=True)
    (checkout / "README.md").write_text("# my project\n", encoding="utf-8")
    before = snapshot(checkout)
    run = ldnkg("build", "--out", "." if how == "." else str(checkout), cwd=checkout)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "README.md was not written by ldnkg build" in run.stderr
    assert snapshot(checkout) == before


def test_out_below_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    run = ldnkg("build", "--out", str(tmp_path / "afile" / "sub"))
    assert run.returncode == 1 and run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert "is a file" in run.stderr


def test_an_earlier_build_is_replaced_and_its_manifest_lists_every_file(tmp_path: Path) -> None:
    out = tmp_path / "build"
    small_build(out, "v1")
    small_build(out, "v2")
    assert (out / "report.html").read_text(encoding="utf-8") == "v2"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == ["ldn.ttl", "report.html"]
    assert manifest["files"]["report.html"] == files.file_sha256(out / "report.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


@pytest.mark.parametrize("change", ["add a file", "edit an export", "add a folder"])
def test_anything_added_to_or_changed_in_a_build_is_kept(tmp_path: Path, change: str) -> None:
    out = tmp_path / "build"
    small_build(out)
    if change == "add a file":
        (out / "notes.txt").write_text("mine", encoding="utf-8")
    elif change == "edit an export":
        (out / "report.html").write_text("my edits", encoding="utf-8")
    else:
        (out / "figures").mkdir()
    before = snapshot(out)
    with pytest.raises(OutputError, match=r"not written by ldnkg build|has changed since"):
        small_build(out, "v2")
    assert snapshot(out) == before


def test_a_folder_from_before_the_manifest_is_recognised_but_a_lookalike_is_not(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    for name in ("ldn.ttl", "ldn.nt", "explorer.html"):
        (old / name).write_text("old build", encoding="utf-8")
    small_build(old)
    assert sorted(p.name for p in old.iterdir()) == [MANIFEST, "ldn.ttl", "report.html"]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.html").write_text("my own report", encoding="utf-8")
    with pytest.raises(OutputError, match="no build manifest"):
        small_build(mine)
    assert (mine / "report.html").read_text(encoding="utf-8") == "my own report"


def test_the_swap_never_leaves_out_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    small_build(out)
    seen = []
    for name in ("rename", "replace"):
        real = getattr(os, name)

        def checked(src, dst, *a, _real=real, **k):
            _real(src, dst, *a, **k)
            seen.append(out.is_dir() and (out / "ldn.ttl").is_file())

        monkeypatch.setattr(files.os, name, checked)
    small_build(out, "v2")
    assert all(seen), "out was missing between two renames"
    assert (out / "report.html").read_text(encoding="utf-8") == "v2"


def test_without_rename_exchange_the_fallback_still_replaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    out = tmp_path / "build"
    small_build(out)
    small_build(out, "v2")
    assert (out / "report.html").read_text(encoding="utf-8") == "v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_a_symlinked_out_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real-build"
    small_build(target)
    link = tmp_path / "build"
    link.symlink_to(target)
    small_build(link, "v2")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert (target / "report.html").read_text(encoding="utf-8") == "v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "real-build"]


def test_out_dot_inside_an_earlier_build_keeps_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    small_build(out)
    inode = out.stat().st_ino
    monkeypatch.chdir(out)
    small_build(Path("."), "v2")
    assert Path(os.getcwd()).stat().st_ino == inode, "the shell's folder was swapped away"
    assert Path("report.html").read_text(encoding="utf-8") == "v2"
    assert sorted(os.listdir(".")) == [MANIFEST, "ldn.ttl", "report.html"]
    small_build(Path("."), "v3")  # and again: the in-place manifest is a valid one
    assert Path("report.html").read_text(encoding="utf-8") == "v3"


_KILLED = """
import sys, time
from pathlib import Path
from rdflib import Dataset
from ldnkg.build import write_outputs

def hang(ds, path):
    path.write_text("half")
    time.sleep(600)

write_outputs(Dataset(), Path(sys.argv[1]), writers=[("ldn.ttl", hang)])
"""


def test_staging_left_by_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "build"
    foreign = tmp_path / ".build-abcdefgh"  # looks like staging but is not ours: kept
    foreign.mkdir()
    (foreign / "x").write_text("mine", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", _KILLED, str(out)])
    try:
        deadline = time.monotonic() + 60
        while not any((p / "ldn.ttl").exists() for p in tmp_path.glob(".build-*")):
            assert time.monotonic() < deadline and proc.poll() is None, "the build never started writing"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = [p for p in tmp_path.glob(".build-*") if p != foreign]
    assert len(left) == 1
    small_build(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build-abcdefgh", "build"]
    assert (foreign / "x").read_text(encoding="utf-8") == "mine"


_TERMINATED = """
import sys, time
from rdflib import Dataset
import ldnkg.build
from ldnkg.cli import main

def hang(ds, path):
    path.write_text("half")
    time.sleep(600)

ldnkg.build.prepare = lambda **_: (Dataset(), 0, 0, 0)
ldnkg.build._writers = lambda: [("ldn.ttl", hang)]
main(["build", "--quiet", "--out", sys.argv[1]])
"""


def test_a_terminated_build_removes_its_own_staging(tmp_path: Path) -> None:
    out = tmp_path / "build"
    proc = subprocess.Popen([sys.executable, "-c", _TERMINATED, str(out)])
    try:
        deadline = time.monotonic() + 60
        while not any((p / "ldn.ttl").exists() for p in tmp_path.glob(".build-*")):
            assert time.monotonic() < deadline and proc.poll() is None, "the build never started writing"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        proc.kill()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("code", "says"), [("ENOSPC", "no space left on device"),
                                            ("EROFS", "read-only file system")])
def test_a_full_or_read_only_disk_is_one_line_and_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, says: str) -> None:
    import errno

    from click.testing import CliRunner

    import ldnkg.build
    from ldnkg.cli import main

    out = tmp_path / "build"
    small_build(out)
    before = snapshot(out)

    def full(_ds: Dataset, path: Path) -> None:
        number = getattr(errno, code)
        raise OSError(number, os.strerror(number), str(path))

    monkeypatch.setattr(ldnkg.build, "prepare", lambda **_: (Dataset(), 0, 0, 0))
    monkeypatch.setattr(ldnkg.build, "_writers", lambda: [("ldn.ttl", full)])
    run = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert (run.exit_code == 1 and run.exception is None) or isinstance(run.exception, SystemExit)
    assert says in run.output and run.output.count("error:") == 1
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


SEPARATORS = "\u2028\u2029\u0085\x0b\x0c\x1c\x1d\x1e"
TRICKY = {"separators": f"before{SEPARATORS}after", "multiline": "a\n\nb", "crlf": "x\r\ny"}


@pytest.fixture(scope="module")
def tricky_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Dataset]:
    """The RDF exports of the packaged graph plus literals holding line separators."""
    ds = load()
    kg = ds.graph(KNOWLEDGE)
    for key, value in TRICKY.items():
        kg.add((URIRef(f"https://w3id.org/ldnkg/entity/Tricky-{key}"), URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
                Literal(value)))
    out = tmp_path_factory.mktemp("tricky") / "out"
    write_outputs(ds, out, writers=RDF_WRITERS)
    return out, ds


@pytest.mark.parametrize(("name", "fmt"), [
    ("ldn.ttl", ox.RdfFormat.TURTLE), ("ldn.nt", ox.RdfFormat.N_TRIPLES), ("ldn.trig", ox.RdfFormat.TRIG),
    ("ldn.nq", ox.RdfFormat.N_QUADS), ("ldn.jsonld", ox.RdfFormat.JSON_LD)])
def test_line_separators_and_multi_line_literals_survive_in_pyoxigraph(tricky_build, name, fmt) -> None:
    out, _ = tricky_build
    comments = {str(q.subject.value).rsplit("-", 1)[1]: q.object.value for q in ox.parse(path=out / name, format=fmt)
                if "Tricky-" in str(q.subject.value)}
    assert comments == TRICKY


@pytest.mark.parametrize(("name", "syntax"), [
    ("ldn.ttl", "turtle"), ("ldn.nt", "ntriples"), ("ldn.trig", "trig"), ("ldn.nq", "nquads")])
def test_rapper_reads_every_statement_of_the_tricky_exports(tricky_build, name: str, syntax: str) -> None:
    require(shutil.which("rapper") is not None, "rapper (Debian raptor2-utils) is not installed")
    out, _ = tricky_build
    run = subprocess.run(["rapper", "-i", syntax, "-c", str(out / name)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    count = int(run.stderr.rsplit("returned", 1)[1].split()[0])
    expected = len(list(ox.parse(path=out / name, format=ox.RdfFormat.from_extension(name.rsplit(".", 1)[1]))))
    assert count == expected


def test_trig_and_nquads_are_deterministic(tricky_build, tmp_path: Path) -> None:
    out, ds = tricky_build
    again = tmp_path / "again"
    write_outputs(ds, again, writers=RDF_WRITERS)
    for name, _ in RDF_WRITERS:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def unbound_namespaces_graph() -> Graph:
    """IRIs of namespaces no prefix is bound to (rdflib makes ``ns1`` … for predicates only), a
    prefix rdflib must rewrite (``_x``), an IRI that is a namespace itself, and literals."""
    from rdflib import XSD

    g = Graph()
    g.bind("_x", "http://under.example/")
    # an object of a namespace that gets its prefix only later, from a predicate
    g.add((URIRef("http://other.example/first"), URIRef("http://under.example/q"),
           URIRef("http://unbound.example/props#x")))
    for i in range(3):
        s = URIRef(f"http://unbound.example/things/s{i}")
        g.add((s, URIRef("http://unbound.example/props#p"), URIRef(f"http://other.example/o{i}")))
        g.add((URIRef(f"http://other.example/o{i}"), URIRef("http://under.example/q"), s))
        g.add((s, URIRef("http://under.example/q"), Literal(i, datatype=XSD.integer)))
        g.add((s, URIRef("http://unbound.example/props#p"), URIRef("http://unbound.example/props#")))
    return g


def test_the_turtle_writer_writes_rdflibs_bytes(tricky_build) -> None:
    """The writer that works out each prefixed name once writes what rdflib writes."""
    from ldnkg.graph.load import INFERRED, asserted_graph
    from ldnkg.graph.reason import infer

    _, ds = tricky_build
    reasoned = load()
    infer(reasoned)
    inferred = bind_prefixes(Graph())
    inferred += reasoned.graph(INFERRED)
    for graph in (asserted_graph(ds), inferred, unbound_namespaces_graph()):
        assert rdf.turtle_bytes(graph) == graph.serialize(format="turtle", encoding="utf-8")
    assert b"ns1:" in rdf.turtle_bytes(unbound_namespaces_graph())  # a generated prefix was used
    # an IRI without a prefixed name is asked again: a prefix bound since may give it one
    writer = rdf.TurtleWriter(Graph(bind_namespaces="none"))
    later = URIRef("http://later.example/x")
    assert writer.get_pname(later, gen_prefix=False) is None
    writer.store.bind("later", "http://later.example/")
    assert writer.get_pname(later, gen_prefix=False) == "later:x"


def line_separator_dataset() -> Dataset:
    """One triple whose literal holds U+2028, which a line-by-line edit of N-Triples splits."""
    ds = Dataset()
    ds.graph(KNOWLEDGE).add((URIRef("http://x/s"), URIRef("http://x/p"), Literal("a\u2028b")))
    return ds


def split_lines(data: Dataset, path: Path) -> None:
    """What the old N-Triples writer did: sort the serializer's output line by line."""
    rdf.write_ntriples(data, path)
    path.write_text("\n".join(sorted(path.read_text(encoding="utf-8").splitlines())) + "\n", encoding="utf-8")


def test_an_export_that_does_not_read_back_keeps_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "build"
    small_build(out)
    before = snapshot(out)
    ds = line_separator_dataset()
    with pytest.raises(OutputError, match=r"ldn\.nt does not parse after writing"):
        write_outputs(ds, out, writers=[("ldn.nt", split_lines)])
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the build writes in one process on one core")
def test_an_export_written_by_the_second_process_is_re_read_there_too(tmp_path: Path, monkeypatch) -> None:
    from ldnkg import build

    out = tmp_path / "build"
    small_build(out)
    before = snapshot(out)
    ds = line_separator_dataset()
    monkeypatch.setattr(build, "PARALLEL", ("ldn.nt",))
    with pytest.raises(OutputError, match=r"ldn\.nt does not parse after writing"):
        write_outputs(ds, out, writers=[("ldn.ttl", rdf.write_turtle), ("ldn.nt", split_lines)])
    assert snapshot(out) == before
    monkeypatch.setattr(build, "PARALLEL", ("ldn.nt", "ldn.trig"))  # and a good one goes through
    write_outputs(ds, out, writers=[("ldn.ttl", rdf.write_turtle), ("ldn.nt", rdf.write_ntriples),
                                    ("ldn.trig", rdf.write_trig)])
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "ldn.nt", "ldn.trig", "ldn.ttl"]


def test_a_temporary_file_of_an_interrupted_write_is_ours_and_removed(tmp_path: Path) -> None:
    out = tmp_path / "build"
    small_build(out)
    (out / ".report.html-k3x9q2ab").write_text("half a report", encoding="utf-8")  # write_atomically's name
    (out / ".thesis.docx-k3x9q2ab").write_text("not ours", encoding="utf-8")
    with pytest.raises(OutputError, match=r"\.thesis\.docx-k3x9q2ab was not written"):
        small_build(out, "v2")
    (out / ".thesis.docx-k3x9q2ab").unlink()
    small_build(out, "v2")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "ldn.ttl", "report.html"]
