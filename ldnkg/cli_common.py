"""Pieces shared by every ``ldnkg`` command module: error reporting and common options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ldnkg.errors import LdnkgError

__all__ = ["data_option", "dataset_for", "ontology_option", "reports_errors", "root_dir", "source_option"]


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an LdnkgError into a clean message and exit code 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LdnkgError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)

    return wrapper


ontology_option = click.option(
    "--ontology", "root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
    help="Ontology folder to build from (default: the packaged one).",
)
source_option = click.option(
    "--source", "sources", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
    help="A source text; its locators are verified and quotes added. Repeatable.",
)


data_option = click.option(
    "--data", type=click.Path(exists=True, path_type=Path), default=None,
    help="A build folder (default: $LDNKG_DATA, else build/), an ontology folder or an RDF file.",
)


def dataset_for(data: Path | None, root: Path | None, sources: tuple[Path, ...] = ()) -> Any:
    """The dataset a reading command answers from (see :mod:`ldnkg.data`).

    ``--source`` rebuilds in memory from the ontology folder (verifying locators, adding quotes);
    otherwise ``--data``, else ``--ontology``, else the build in ``build/`` (refused when missing or
    older than its sources, with how to rebuild).
    """
    if sources:
        from ldnkg.build import prepare

        return prepare(root=root_dir(root), sources=sources)[0]
    from ldnkg.data import choose

    return choose(data, root).dataset()


def root_dir(root: Path | None) -> Path:
    """The ontology folder a command works on: ``--ontology`` or the packaged one."""
    from ldnkg.ontology import ONTOLOGY_DIR

    return root or ONTOLOGY_DIR
