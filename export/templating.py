"""The one Jinja2 environment for the pages and charts ldnkg writes itself (``templates/``).

Autoescaping is on for every template and an undefined name fails, so no value from the graph
reaches HTML or SVG unescaped and no typo renders as an empty string. The ``n`` filter writes a
coordinate with at most one decimal (``12.0`` → ``12``): the same shapes give the same bytes.

>>> environment().from_string("<b>{{ x }}</b> {{ 3.14159 | n }} {{ 12.0 | n }}").render(x="<i>")
'<b>&lt;i&gt;</b> 3.1 12'
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"


def number(value: float) -> str:
    """``value`` rounded to one decimal, without a trailing ``.0`` (``-0`` written as ``0``).

    >>> number(2.25), number(7.0), number(-0.01)
    ('2.2', '7', '0')
    """
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@functools.cache
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["n"] = number
    return env
