"""Measure the scraped-page reader against hand-labelled pages: does the listener hear only the article?

    python bench/segmenter_eval.py SAMPLES_DIR

SAMPLES_DIR holds raw/NAME.txt (pages as scraped) and labels/NAME.json (title, date, author,
language, body lines, boilerplate lines). For every page this prints body precision, recall and F1
by line and by word, whether title, date, author and language are right (`-` where the label has
none), and every boilerplate line that would be spoken. Exit code 1 when a target is missed:
total body F1 (by line and by word) at least 0.97, no boilerplate line spoken in more than one
file, and title, date and author right wherever the label gives them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from narrate.errors import NarrateError  # noqa: E402
from narrate.readers import read_article  # noqa: E402
from narrate.readers.scraped import DATE_MARKER  # noqa: E402

TARGET_F1 = 0.97
METADATA = ("title", "date", "author", "language")
TARGET_METADATA = ("title", "date", "author")


@dataclass(frozen=True)
class Overlap:
    """How much of what was spoken is body (precision) and how much of the body was spoken (recall)."""

    matched: int
    spoken: int
    expected: int

    def __add__(self, other: Overlap) -> Overlap:
        return Overlap(self.matched + other.matched, self.spoken + other.spoken, self.expected + other.expected)

    @property
    def precision(self) -> float:
        return self.matched / self.spoken if self.spoken else float(self.expected == 0)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else float(self.spoken == 0)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Result:
    """One page's comparison with its label."""

    name: str
    lines: Overlap
    words: Overlap
    right: dict[str, bool]
    given: frozenset[str]
    """The metadata fields the label gives (not null): the targets apply to these."""
    spoken_boilerplate: tuple[str, ...]
    error: str | None = None


def overlap(spoken: list[str], expected: list[str]) -> Overlap:
    matched = sum((Counter(spoken) & Counter(expected)).values())
    return Overlap(matched, len(spoken), len(expected))


def unmarked(line: str) -> str:
    """A labelled line as the reader sees it: trimmed, without the scraper's date marker."""
    marker = DATE_MARKER.match(line)
    return (marker["rest"] if marker else line).strip()


def evaluate(raw: Path, label: dict) -> Result:
    expected_body = [unmarked(line) for line in label["body"]]
    boilerplate = {unmarked(line) for line in label["boilerplate"]} - {"", label["title"]}
    try:
        article = read_article(raw, raw.parent)
    except NarrateError as error:
        empty = overlap([], expected_body)
        words = overlap([], " ".join(expected_body).split())
        return Result(raw.stem, empty, words, dict.fromkeys(METADATA, False), frozenset(METADATA), (), str(error))
    spoken = [block.text for block in article.blocks]
    found = {
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "author": article.author,
        "language": article.language,
    }
    right = {field: found[field] == label[field] for field in METADATA}
    given = frozenset(field for field in METADATA if label[field] is not None)
    heard = set(spoken) | {article.title}
    return Result(
        raw.stem,
        overlap(spoken, expected_body),
        overlap(" ".join(spoken).split(), " ".join(expected_body).split()),
        right,
        given,
        tuple(sorted(boilerplate & heard)),
    )


def mark(result: Result, field: str) -> str:
    """'ok' or 'WRONG'; in lower case where the label has no value (null), as those are no target."""
    word = "ok" if result.right[field] else "WRONG"
    return word if field in result.given else word.lower() + "(null)"


def figures(overlap: Overlap) -> str:
    return f"{overlap.precision:6.3f} {overlap.recall:5.3f} {overlap.f1:5.3f}"


def report(results: list[Result]) -> bool:
    """Print the table and the totals; True when every target is met."""
    columns = " ".join(f"{field:>12}" for field in METADATA)
    print(f"{'file':44} {'line P':>6} {'R':>5} {'F1':>5}  {'word P':>6} {'R':>5} {'F1':>5}  {columns}")
    for result in results:
        marks = " ".join(f"{mark(result, field):>12}" for field in METADATA)
        print(f"{result.name[:44]:44} {figures(result.lines)}  {figures(result.words)}  {marks}")
        if result.error:
            print(f"    error: {result.error}")
        for line in result.spoken_boilerplate:
            print(f"    boilerplate spoken: {line[:100]!r}")
    lines = sum((result.lines for result in results), Overlap(0, 0, 0))
    words = sum((result.words for result in results), Overlap(0, 0, 0))
    print(f"\n{'TOTAL':44} {figures(lines)}  {figures(words)}")
    met = lines.f1 >= TARGET_F1 and words.f1 >= TARGET_F1
    for field in METADATA:
        judged = [result.right[field] for result in results if field in result.given]
        everywhere = sum(result.right[field] for result in results)
        print(f"{field} right: {sum(judged)}/{len(judged)} where the label gives one, {everywhere}/{len(results)} in all")
        met &= field not in TARGET_METADATA or all(judged)
    leaks = Counter(line for result in results for line in result.spoken_boilerplate)
    repeated = [line for line, files in leaks.items() if files > 1]
    files_leaking = sum(bool(result.spoken_boilerplate) for result in results)
    print(f"boilerplate lines spoken: {sum(leaks.values())} in {files_leaking} file(s), {len(repeated)} in several")
    met &= files_leaking <= 1 and not any(result.error for result in results)
    print(f"targets ({'body F1 ≥ %.2f' % TARGET_F1}, boilerplate, title/date/author): {'met' if met else 'MISSED'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", type=Path, help="folder with raw/*.txt and labels/*.json")
    samples = parser.parse_args().samples
    raws = sorted((samples / "raw").glob("*.txt"))
    if not raws:
        parser.error(f"no raw/*.txt in {samples}")
    results = []
    for raw in raws:
        label = json.loads((samples / "labels" / f"{raw.stem}.json").read_text(encoding="utf-8"))
        results.append(evaluate(raw, label))
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
