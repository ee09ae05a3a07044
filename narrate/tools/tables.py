"""What `narrate build --dry-run` and `narrate inspect` show in a terminal: tables of plain text (never markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..pipeline import DryRunReport

if TYPE_CHECKING:
    from .inspect import Inspection


def show_dry_run(out: Console, report: DryRunReport) -> None:
    """Per article, what a build would synthesise and encode, then the totals."""
    table = Table("article", "sentences", "to synthesise", "encode", box=None, padding=(0, 2))
    for episode in report.episodes:
        table.add_row(episode.title, str(episode.segments), str(episode.to_synthesise),
                      "yes" if episode.to_encode else "no (unchanged)")
    out.print(table)
    for withdrawal in report.withdrawing:
        out.print(f"Would withdraw: {withdrawal.title} ({withdrawal.guid})", highlight=False)
    synthesise = sum(episode.to_synthesise for episode in report.episodes)
    encode = sum(episode.to_encode for episode in report.episodes)
    out.print(f"Would synthesise {synthesise} sentence{'' if synthesise == 1 else 's'} and encode "
              f"{encode} of {len(report.episodes)} episode{'' if len(report.episodes) == 1 else 's'}; "
              "nothing was written.", highlight=False)


def show_inspection(out: Console, inspection: Inspection) -> None:
    """An article's facts and its script, each spoken part beside its written text where they differ."""
    article = inspection.article
    facts = [article.date.isoformat() if article.date else "no date", article.author or "no author", article.language]
    out.print(Text(article.title, style="bold"))
    out.print(" · ".join([*facts, *([article.url] if article.url else [])]), style="dim", highlight=False)
    out.print(f"read by {inspection.voice}", style="dim", highlight=False)
    table = Table("part", "spoken (written, where it differs)", box=None, padding=(0, 2), show_edge=False)
    for item in inspection.script:
        part = item.kind if item.source is None else f"{item.kind} {item.source + 1}"
        written = ("\n" + item.written, "dim") if item.written != item.text else ""
        table.add_row(part, Text.assemble(item.text, written))
    out.print(table)
