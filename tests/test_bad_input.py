"""Bad input gives one clear message naming the file and line or the claim, exit code 1, no
traceback, and leaves the output folder exactly as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLAIMS = Path("knowledge") / "three-roles-of-ldn" / "claims.ttl"
ENTITIES = Path("knowledge") / "entities.ttl"


def ldnkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ldnkg", *args], capture_output=True, text=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_fails(root: Path, out: Path, *extra: str) -> str:
    """Run a build that must fail; return its one-line error. Checks out/ (an earlier build,
    so the build may replace it) is untouched."""
    from rdflib import Dataset

    from ldnkg.build import write_outputs

    def previous(_ds: Dataset, path: Path) -> None:
        path.write_text("previous build", encoding="utf-8")

    write_outputs(Dataset(), out, writers=[("keep.txt", previous)])
    before = sorted(p.name for p in out.iterdir())
    run = ldnkg("build", "--ontology", str(root), "--out", str(out), *extra)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("error: ")
    assert sorted(p.name for p in out.iterdir()) == before, "the output folder changed"
    assert (out / "keep.txt").read_text(encoding="utf-8") == "previous build"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-")], "staging left behind"
    return run.stderr


def one_line(run: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a failed command (exit 1, no traceback)."""
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and run.stderr.startswith("error: "), run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    return run.stderr


def test_malformed_turtle_names_file_and_line(ontology_copy: Path, tmp_path: Path) -> None:
    path = ontology_copy / ENTITIES
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(40, "ldn:Broken a ldno:Drug ; rdfs:label .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert f"{path}:41: malformed RDF" in message


def test_undefined_prefix_is_reported_with_the_file(ontology_copy: Path, tmp_path: Path) -> None:
    path = ontology_copy / ENTITIES
    edit(path, "ldn:Ketosis a ldno:", "ldn:Ketosis a nope:")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert str(path) in message and "nope" in message


def test_missing_evidence_is_a_shacl_violation_naming_the_claim(ontology_copy: Path, tmp_path: Path) -> None:
    path = ontology_copy / CLAIMS
    text = path.read_text(encoding="utf-8")
    block_start = text.index("claim:p17-blocks-tlr4 a ldno:Claim")
    evidence = text.index("ldno:evidence ECO:0000204 ; ", block_start)
    path.write_text(text[:evidence] + text[evidence + len("ldno:evidence ECO:0000204 ; "):], encoding="utf-8")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert "SHACL" in message and "p17-blocks-tlr4" in message and "evidence" in message


def test_reference_to_an_undefined_entity_names_claim_and_iri(ontology_copy: Path, tmp_path: Path) -> None:
    edit(ontology_copy / CLAIMS, "rdf:object ldn:TLR4 ;", "rdf:object ldn:TLR5 ;")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert "p17-blocks-tlr4" in message and "entity/TLR5" in message and "undefined" in message


def test_malformed_cross_reference_is_rejected(ontology_copy: Path, tmp_path: Path) -> None:
    edit(ontology_copy / ENTITIES, "MONDO:0005546", "MONDO:55")
    message = build_fails(ontology_copy, tmp_path / "out")
    assert "Fibromyalgia" in message and "exactMatch" in message


def test_wrong_locator_names_the_claim(ontology_copy: Path, tmp_path: Path, seed_path: Path) -> None:
    path = ontology_copy / CLAIMS
    text = path.read_text(encoding="utf-8")
    i = text.index("claim:p12-not-cure-locator a")
    j = text.index("ldno:spanSha256", i)
    path.write_text(text[:j] + 'ldno:spanSha256 "' + "0" * 64 + '" .' + text[text.index("\n", j):], encoding="utf-8")
    message = build_fails(ontology_copy, tmp_path / "out", "--source", str(seed_path))
    assert "p12-not-cure" in message and "SHA-256" in message


def test_missing_source_file(tmp_path: Path) -> None:
    from ldnkg.ontology import ONTOLOGY_DIR

    message = build_fails(ONTOLOGY_DIR, tmp_path / "out", "--source", str(tmp_path / "nope.txt"))
    assert "nope.txt: no such file" in message


def test_source_that_is_not_the_article(tmp_path: Path) -> None:
    from ldnkg.ontology import ONTOLOGY_DIR

    other = tmp_path / "other.txt"
    other.write_text("Some other text entirely.\n", encoding="utf-8")
    message = build_fails(ONTOLOGY_DIR, tmp_path / "out", "--source", str(other))
    assert "other.txt" in message and "matches no source document" in message


@pytest.mark.parametrize("command", [["validate"], ["stats"], ["serve", "--port", "0"], ["query", "role-cycle"],
                                     ["evidence", "fibromyalgia"], ["explain", "LDN", "fibromyalgia"]])
def test_other_commands_report_bad_rdf_cleanly(command: list[str], ontology_copy: Path) -> None:
    """One line before anything starts (``serve`` used to print worker tracebacks first)."""
    (ontology_copy / ENTITIES).write_text("this is not turtle\n", encoding="utf-8")
    run = ldnkg(*command, "--ontology", str(ontology_copy))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "entities.ttl:1: malformed RDF" in run.stderr


def _nested(depth: int) -> str:
    return f"{PREFIX}ldn:X ldn:p " + "[ ldn:p " * depth + "ldn:Y" + " ]" * depth + " .\n"


PREFIX = "@prefix ldn: <https://w3id.org/ldnkg/entity/> .\n"


def k(root: Path, name: str) -> Path:
    return root / "knowledge" / name


# issue 11.12: each of these ended in a Python traceback
BROKEN_FOLDERS = {
    "a directory named extra.ttl": (lambda root: k(root, "extra.ttl").mkdir(), "extra.ttl: not a regular file"),
    "a symlink loop": (lambda root: k(root, "loop.ttl").symlink_to("loop.ttl"), "loop.ttl: too many levels"),
    "a dangling symlink": (lambda root: k(root, "gone.ttl").symlink_to("nowhere.ttl"), "gone.ttl: no such file"),
    "no schema.ttl": (lambda root: (root / "schema.ttl").unlink(), "schema.ttl: no such file"),
    "no shapes.ttl": (lambda root: (root / "shapes.ttl").unlink(), "shapes.ttl: no such file"),
    "an empty knowledge/": (lambda root: [shutil.rmtree(p) if p.is_dir() else p.unlink()
                                          for p in (root / "knowledge").iterdir()], "holds no *.ttl file"),
    "a lone surrogate": (lambda root: k(root, "s.ttl").write_text(
        PREFIX + 'ldn:X ldn:note "\\uD800" .\n', encoding="utf-8"),
        "s.ttl: malformed RDF: a term of https://w3id.org/ldnkg/entity/X holds a lone surrogate"),
    "20 000 nested [ ]": (lambda root: k(root, "deep.ttl").write_text(_nested(20_000), encoding="utf-8"),
                          "deep.ttl: malformed RDF: nesting too deep"),
    "a 100 MB literal": (lambda root: k(root, "big.ttl").write_text(
        PREFIX + 'ldn:X ldn:note "' + "a" * 100_000_000 + '" .\n', encoding="utf-8"),
        "big.ttl: malformed RDF: 1000000"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_FOLDERS))
def test_a_broken_ontology_folder_is_one_line(case: str, ontology_copy: Path, tmp_path: Path) -> None:
    breaks, expected = BROKEN_FOLDERS[case]
    breaks(ontology_copy)
    message = build_fails(ontology_copy, tmp_path / "out")
    assert message.count("\n") == 1 and expected in message, message


def test_malformed_locators_are_shacl_violations_not_crashes(
        ontology_copy: Path, tmp_path: Path, seed_path: Path) -> None:
    path = ontology_copy / CLAIMS
    text = path.read_text(encoding="utf-8")
    i = text.index("claim:p04-start-year-locator a ldno:TextLocator")
    j = text.index("oa:start ", i)
    text = text[:j] + 'oa:start "abc" ' + text[text.index(";", j):]  # oa:start "abc"
    i = text.index("claim:p17-blocks-tlr4-locator a ldno:TextLocator")
    j = text.index("ldno:paragraph 17", i)
    text = text[:j] + "ldno:paragraph 5.7" + text[j + len("ldno:paragraph 17"):]  # not an integer
    i = text.index("claim:p12-not-cure-locator a")
    j = text.index("oa:start ", i)
    text = text[:j] + text[text.index(";", j) + 1:]  # no oa:start at all
    path.write_text(text, encoding="utf-8")
    message = build_fails(ontology_copy, tmp_path / "out", "--source", str(seed_path))
    lines = message.splitlines()
    assert "SHACL validation failed" in lines[0]
    for claim, prop in (("p04-start-year-locator", "oa:start"), ("p17-blocks-tlr4-locator", "ldno:paragraph"),
                        ("p12-not-cure-locator", "oa:start")):
        assert any(claim in line and prop in line for line in lines), (claim, prop, message)
    assert "ns1:" not in message and "ns2:" not in message, "SHACL paths must use the project's prefixes"
    assert len(lines) == len(set(lines)), "a violation was printed more than once"


def test_a_fifo_as_source_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    run = subprocess.run([sys.executable, "-m", "ldnkg", "validate", "--source", str(fifo)],
                         capture_output=True, text=True, timeout=120)
    assert "not a regular file" in one_line(run)


def test_a_symlink_loop_as_source_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "article.txt"
    loop.symlink_to(loop)
    assert "too many levels of symbolic links" in one_line(ldnkg("validate", "--source", str(loop)))


def test_a_byte_order_mark_on_the_source_is_ignored(seed_path: Path, tmp_path: Path) -> None:
    from ldnkg.graph.load import load
    from ldnkg.graph.provenance import SourceText, match_sources

    bom = tmp_path / "article.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + seed_path.read_bytes())
    text = SourceText.read(bom)
    assert text.text == seed_path.read_text(encoding="utf-8")
    assert [str(doc) for doc in match_sources(load(), [text])] == ["https://w3id.org/ldnkg/source/three-roles-of-ldn"]


def test_windows_line_endings_are_named(seed_path: Path, tmp_path: Path) -> None:
    crlf = tmp_path / "article.txt"
    crlf.write_bytes(seed_path.read_bytes().replace(b"\n", b"\r\n"))
    assert "Windows line endings" in one_line(ldnkg("validate", "--source", str(crlf)))


def test_the_group_ontology_option_works_as_the_readme_says(ontology_copy: Path) -> None:
    (ontology_copy / ENTITIES).write_text("this is not turtle\n", encoding="utf-8")
    assert "entities.ttl:1: malformed RDF" in one_line(ldnkg("--ontology", str(ontology_copy), "validate"))
    run = ldnkg("--ontology", str(ontology_copy), "stats")
    assert "entities.ttl:1: malformed RDF" in one_line(run)
