"""Text and Markdown renderings of an :class:`~ldnkg.graph.analysis.profile.EvidenceProfile`.

One screen: each part shows at most ``limit`` items, strongest first, and says how many more
there are (``--limit`` / ``--format json`` give everything).
"""

from __future__ import annotations

import textwrap
from typing import Any

__all__ = ["format_markdown", "format_text", "locator", "statement", "weight"]


def locator(rec: dict[str, Any]) -> str:
    """``"claim p20-fibro-trials, Role 2: …, ¶20"``.

    >>> locator({"claim": "c1", "section": "Intro", "paragraph": 3})
    'c1, Intro ¶3'
    """
    return f"{rec['claim']}, {rec['section']} ¶{rec['paragraph']}"


def weight(rec: dict[str, Any]) -> str:
    """The evidence level, certainty and, unless asserted, the standing of a claim record.

    >>> weight({"evidence_rank": 5, "evidence_level": "practice", "certainty": "observed",
    ...         "standing": "observation"})
    '[5 practice; observed; observation]'
    """
    parts = [f"{rec['evidence_rank']} {rec['evidence_level']}", str(rec["certainty"])]
    if rec.get("standing") not in (None, "asserted"):
        parts.append(str(rec["standing"]))
    return "[" + "; ".join(parts) + "]"


def _ids(pub: dict[str, Any]) -> str:
    return ", ".join(f"{k.upper()} {pub[k]}" for k in ("pmid", "doi", "nct") if pub.get(k))


def _more(items: list[Any], limit: int) -> str | None:
    rest = len(items) - limit
    return f"… and {rest} more (--limit {len(items)} or --format json for all)" if rest > 0 else None


def _wrap(text: str, width: int, first: str = "  - ", rest: str = "    ") -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest)


def statement(rec: dict[str, Any]) -> str:
    """``subject —predicate→ object`` of a claim record.

    >>> statement({"subject_label": "LDN", "predicate_label": "blocks", "object_label": "TLR4"})
    'LDN —blocks→ TLR4'
    """
    return f"{rec['subject_label']} —{rec['predicate_label']}→ {rec['object_label']}"


def _claim_lines(rec: dict[str, Any], width: int, indent: str = "  ") -> list[str]:
    head = f"{weight(rec)} {statement(rec)}: {rec['paraphrase']}"
    lines = textwrap.wrap(head, width=width, initial_indent=indent + "- ",
                          subsequent_indent=indent + "  ")
    tail = locator(rec) + (f"; study: {rec['study']}" if rec.get("study") else "")
    lines += textwrap.wrap(tail, width=width, initial_indent=indent + "  ", subsequent_indent=indent + "  ")
    if rec.get("quote"):
        lines += textwrap.wrap(f'"{rec["quote"]}"', width=width, initial_indent=indent + "  ",
                               subsequent_indent=indent + "   ")
    return lines


def _inherited(rec: dict[str, Any]) -> str:
    return f" (said of {rec['inherited_from']})" if rec.get("inherited_from") else ""


def format_text(p: Any, *, width: int = 100, limit: int = 5) -> str:
    """The profile as plain text.

    >>> from ldnkg.graph.analysis.profile import EvidenceProfile
    >>> print(format_text(EvidenceProfile("x", "https://x/X", "x", "Entity")))
    x (<https://x/X>), Entity
    The article makes no claim about it.
    """
    from ldnkg.graph.analysis.resolve import _curie

    out = [f"{p.label} ({_curie(p.iri)}), {p.kind}"]
    if p.parents:
        out.append("a kind of: " + ", ".join(
            x["label"] + (f" ({x['standing']})" if x["standing"] != "asserted" else "") for x in p.parents))
    if p.roles:
        out.append("LDN's roles for it: " + ", ".join(r["label"] for r in p.roles))
    if p.cycle:
        out += _wrap("the roles' cycle (the author's hypothesis): "
                     + " → ".join(r["label"] for r in [*p.cycle, p.cycle[0]]), width, "", "  ")
    if not (p.direct or p.chains or p.caveats or p.hypotheses or p.co_therapies or p.response_rates):
        out.append("The article makes no claim about it.")
        return "\n".join(out)

    def part(title: str, items: list[Any], render: Any) -> None:
        if not items:
            return
        out.extend(["", f"{title} ({len(items)}):"])
        for item in items[:limit]:
            out.extend(render(item))
        if (more := _more(items, limit)) is not None:
            out.append("  " + more)

    part("Strongest evidence first", p.direct, lambda r: _claim_lines(r, width))

    def chain(c: dict[str, Any]) -> list[str]:
        lines = textwrap.wrap(" → ".join(c["nodes"]), width=width, initial_indent="  - ",
                              subsequent_indent="      ")
        weakest = max(c["links"], key=lambda link: (link["evidence_rank"], link["claim"]))
        return lines + _wrap(f"weakest link {weight(weakest)}: {weakest['source_label']} {weakest['verb']} "
                             f"{weakest['target_label']} ({locator(weakest)})", width, "    ", "      ")

    part("Mechanism chains from LDN, by weakest link", p.chains[:3] if limit > 3 else p.chains, chain)

    def pub(x: dict[str, Any]) -> list[str]:
        head = f"{x['grade']}: {x['label']}" + (f" — {x['title']}" if x.get("title") else "")
        lines = textwrap.wrap(head, width=width, initial_indent="  - ", subsequent_indent="    ")
        ids = _ids(x)
        claims = ", ".join(x["claims"][:3]) + (f" and {len(x['claims']) - 3} more" if len(x["claims"]) > 3 else "")
        return lines + _wrap(f"{ids + '; ' if ids else ''}for {claims}", width, "    ", "      ")

    part("Publications", p.publications, pub)
    part("The author's caveats", p.caveats, lambda r: _claim_lines(r, width))
    part("Only hypothesised", p.hypotheses, lambda r: _claim_lines(r, width))

    def co(x: dict[str, Any]) -> list[str]:
        purpose = f" for {', '.join(x['purposes'])}" if x["purposes"] else ""
        where = _inherited(x) or (f" (in {x['context_label']})" if x.get("context_label") and
                                  x.get("context") != p.iri else "")
        return [*_wrap(f"{x['label']}{purpose}{where} {weight(x)}", width), f"    {locator(x)}"]

    part("Co-therapies with LDN", p.co_therapies, co)

    def rate(x: dict[str, Any]) -> list[str]:
        return [*_wrap(f"{x['label']}{_inherited(x)} {weight(x)}", width), f"    {locator(x)}"]

    part("Response rates", p.response_rates, rate)
    part("Response categories", p.response_categories, rate)
    return "\n".join(out)


def _md_claim(rec: dict[str, Any]) -> str:
    quote = f"<br>“{rec['quote']}”" if rec.get("quote") else ""
    return (f"| {rec['evidence_rank']} {rec['evidence_level']} | {rec['certainty']} | {rec['standing']} | "
            f"{statement(rec)}: {rec['paraphrase']}{quote} | {locator(rec)} |")


def format_markdown(p: Any, *, limit: int = 5) -> str:
    """The profile as Markdown (tables of claims, lists of chains and publications).

    >>> from ldnkg.graph.analysis.profile import EvidenceProfile
    >>> print(format_markdown(EvidenceProfile("x", "https://x/X", "x", "Entity")))
    ## x
    <BLANKLINE>
    `<https://x/X>`, Entity
    """
    from ldnkg.graph.analysis.resolve import _curie

    out = [f"## {p.label}", "", f"`{_curie(p.iri)}`, {p.kind}"]
    if p.parents:
        out.append(f"; a kind of {', '.join(x['label'] for x in p.parents)}")
    if p.roles:
        out.append(f"; LDN's roles for it: {', '.join(r['label'] for r in p.roles)}")
    head = "| evidence level | certainty | standing | claim | where |\n|---|---|---|---|---|"

    def table(title: str, items: list[dict[str, Any]]) -> None:
        if items:
            out.extend(["", f"### {title} ({len(items)})", "", head, *(_md_claim(r) for r in items[:limit])])
            if (more := _more(items, limit)) is not None:
                out.extend(["", more])

    table("Strongest evidence first", p.direct)
    if p.chains:
        out.extend(["", f"### Mechanism chains from LDN ({len(p.chains)})", ""])
        out += [f"{i}. {' → '.join(c['nodes'])} — weakest link: {c['evidence_rank']} {c['evidence_level']}"
                for i, c in enumerate(p.chains[:limit], start=1)]
    if p.publications:
        out.extend(["", f"### Publications ({len(p.publications)})", ""])
        out += [f"- **{x['grade']}**: {x['label']} {_ids(x)}".rstrip() for x in p.publications[:limit]]
    table("The author's caveats", p.caveats)
    table("Only hypothesised", p.hypotheses)
    extra = [("Co-therapies with LDN", p.co_therapies), ("Response rates", p.response_rates),
             ("Response categories", p.response_categories)]
    for title, items in extra:
        if items:
            out.extend(["", f"### {title} ({len(items)})", ""])
            out += [f"- {x['label']}{_inherited(x)} — {x['evidence_level']}, {locator(x)}" for x in items[:limit]]
    return "\n".join(out)
