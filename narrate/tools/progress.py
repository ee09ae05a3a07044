"""A build's progress on a terminal: one bar for the whole build and one per article being spoken."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, Task, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Column
from rich.text import Text

UNIT = "sentences"
"""What the bars count: the segments a voice speaks one at a time (sentences, and the title and headings)."""


class RichProgress:
    """The pipeline's Progress, drawn on `console` (stderr) and gone when the build ends.

    Every column but the title has a fixed width, and the title gives way (ending in "…"), so each
    bar stays one line however narrow the terminal. Titles are shown as written, never as markup.
    """

    def __init__(self, console: Console) -> None:
        self._bars = Progress(
            TextColumn("{task.description}", markup=False,
                       table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis")),
            BarColumn(bar_width=12),
            MofNCompleteColumn(),
            TextColumn(UNIT),
            _TimeLeft(),
            console=console,
            transient=True,
            expand=True,
            disable=not console.is_terminal,  # a log file gets no bars (rich would leave a blank line)
        )
        self._articles: dict[str, TaskID] = {}
        self._titles: dict[str, tuple[str, int]] = {}
        self._total = self._bars.add_task("All articles", total=None)

    def __enter__(self) -> RichProgress:
        self._bars.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.__exit__(*exc)

    def planned(self, scripts: Sequence[tuple[str, str, int]]) -> None:
        self._titles = {key: (title, segments) for key, title, segments in scripts}
        self._bars.update(self._total, total=sum(segments for _, _, segments in scripts))

    def spoken(self, key: str) -> None:
        if key not in self._articles:
            title, segments = self._titles[key]
            self._articles[key] = self._bars.add_task(f"  {title}", total=segments)
        self._bars.advance(self._articles[key])
        self._bars.advance(self._total)

    def finished(self, key: str) -> None:
        task = self._articles.pop(key, None)
        if task is not None:
            self._bars.remove_task(task)

    def waiting(self, holder: str) -> None:
        self._bars.console.print(f"Waiting for another narrate build ({holder}) to finish…", markup=False,
                                 highlight=False)


class _TimeLeft(TimeRemainingColumn):
    """The estimated time left ("0:01:23 left"), once the total is known."""

    def render(self, task: Task) -> Text:
        left = super().render(task)
        return left.append(" left") if left.plain else left
