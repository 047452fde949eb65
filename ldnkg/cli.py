"""The ``ldnkg`` command line: a thin layer over the Python API.

Each command catches only :class:`ldnkg.errors.LdnkgError` and prints it as one line
(``error: …``) with exit code 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from ldnkg import __version__
from ldnkg.cli_analysis import evidence, explain, report
from ldnkg.cli_common import data_option, dataset_for, ontology_option, reports_errors, root_dir, source_option
from ldnkg.cli_explore import explore
from ldnkg.cli_sparql import push, query, serve

__all__ = ["main", "ontology_option", "reports_errors", "source_option"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ldnkg")
@click.option("--ontology", "root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Ontology folder for every command (as each command's own --ontology).")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """ldnkg: the Low Dose Naltrexone knowledge graph."""
    if root is not None:
        # `ldnkg --ontology DIR CMD` is `ldnkg CMD --ontology DIR`: the group's value becomes the
        # default of each command's own option (click's default_map), which still wins if given
        ctx.default_map = {name: {"root": root} for name in main.commands}


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Output folder: new, empty, or one an earlier build wrote (replaced atomically).")
@source_option
@ontology_option
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.option("--no-cache", is_flag=True,
              help="Run every step even when an earlier build had exactly the same inputs (see ldnkg.build_cache).")
@reports_errors
def build(out: Path, sources: tuple[Path, ...], root: Path | None, quiet: bool, no_cache: bool) -> None:
    """Load, validate, infer and write every export into OUT."""
    from ldnkg.build import build as run_build
    from ldnkg.graph.stats import format_summary, summary

    # SIGTERM (kill, systemd, CI timeouts) unwinds like Ctrl-C, so the staging folder is removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    show = sys.stderr.isatty() and not quiet
    result = run_build(out, root=root_dir(root), sources=sources, cache=not no_cache,
                       progress=(lambda m: click.echo(f"  {m} …", err=True)) if show else None)
    click.echo(format_summary(summary(result.dataset)))
    if sources:
        click.echo(f"verified {result.locators_verified} locators against {len(sources)} source text(s); "
                   f"{result.quotes} quotes added")
    click.echo(f"inferred triples: {result.inferred} (in ldn-inferred.ttl and graph:inferred)")
    click.echo(f"wrote {len(result.files)} files to {out}/ — open {out / 'explorer.html'} in a browser")


@main.command()
@source_option
@ontology_option
@reports_errors
def validate(sources: tuple[Path, ...], root: Path | None) -> None:
    """Check references, locators (with --source) and SHACL shapes; write nothing."""
    from ldnkg.build import prepare

    _, verified, _, _ = prepare(root=root_dir(root), sources=sources)
    extra = f"; {verified} locators verified" if sources else ""
    click.echo(f"valid: the graph conforms to the SHACL shapes{extra}")


@main.command()
@data_option
@ontology_option
@reports_errors
def stats(data: Path | None, root: Path | None) -> None:
    """Print counts by class and claims by evidence level, kind, asserter and certainty.

    Counts what the build wrote (build/, or --data DIR), or --ontology DIR.
    """
    from ldnkg.graph.stats import format_summary, summary

    click.echo(format_summary(summary(dataset_for(data, root))))


@main.command()
@click.argument("phrase")
@click.option("--source", "source", required=True, type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def locate(phrase: str, source: Path) -> None:
    """Print the locator (offsets, hash, paragraph, section) of PHRASE in a source text.

    For curators adding claims: the phrase is looked up, never stored.
    """
    from ldnkg.graph.provenance import SourceText, locate_phrase

    loc = locate_phrase(SourceText.read(source), phrase)
    click.echo(f'ldno:section "{loc.section}" ; ldno:paragraph {loc.paragraph} ; '
               f'oa:start {loc.start} ; oa:end {loc.end} ;\nldno:spanSha256 "{loc.digest}" .')


for command in (explain, evidence, report, explore, query, serve, push):
    main.add_command(command)
