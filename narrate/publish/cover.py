"""Cover art: a clean square cover drawn from the show's title, for feeds that configure no image
(Apple requires one), and the copy of a cover that goes into every MP3."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from ..errors import NarrateError

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

# Pillow is imported by the functions that draw or open an image: a build whose cover is already
# drawn (kept by title) never needs it.

SIZE = 3000
MARGIN = 300
LARGEST_TEXT = 360
SMALLEST_TEXT = 90
LINE_SPACING = 1.15
BACKGROUNDS = ("#1d3557", "#2a4d3a", "#5b2333", "#3d2c5e", "#1f4e5f", "#4a3b2a")
"""Dark, calm colours that keep white text readable; the title picks one, so a show keeps its colour."""
TEXT_COLOUR = "#ffffff"
ACCENT_COLOUR = "#f4a261"
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)

Font: TypeAlias = "ImageFont.FreeTypeFont"

EMBEDDED_BYTES = 500_000
"""The largest cover put into each MP3 as it is. A larger one (a 50 MB photo) would be copied into
every episode, so the MP3s carry a smaller JPEG copy instead; the feed still links the full file."""
EMBEDDED_SIDES = (1400, 1000, 700, 500)
"""The copy's largest side: the first at which it fits EMBEDDED_BYTES (1400 px is Apple's minimum)."""
EMBEDDED_QUALITY = 85


def embedded_as_is(size: int) -> bool:
    """Whether a cover of `size` bytes goes into the MP3s unchanged."""
    return size <= EMBEDDED_BYTES


def embedded_copy(data: bytes) -> bytes:
    """A JPEG of the cover small enough to go into every MP3 (the same bytes for the same cover)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            picture = image.convert("RGB")
    except (OSError, Image.DecompressionBombError) as error:
        raise NarrateError(f"the cover cannot be read as an image ({error}); use a PNG or JPEG") from None
    for side in EMBEDDED_SIDES:
        copy = picture.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        copy.save(output, format="JPEG", quality=EMBEDDED_QUALITY, optimize=True)
        if output.tell() <= EMBEDDED_BYTES:
            break
    return output.getvalue()


def render_cover(title: str) -> bytes:
    """A 3000x3000 RGB PNG: the title, wrapped and as large as fits, above a small waveform mark.

    The same title always gives the same bytes (no timestamps, fixed layout), so a rebuild never
    rewrites the file.
    """
    from PIL import Image, ImageDraw

    digest = hashlib.sha256(title.encode("utf-8")).digest()
    image = Image.new("RGB", (SIZE, SIZE), BACKGROUNDS[digest[0] % len(BACKGROUNDS)])
    draw = ImageDraw.Draw(image)
    font, lines = _fit(title.strip() or "Podcast", _font_loader())
    line_height = round(font.size * LINE_SPACING)
    top = (SIZE - MARGIN - line_height * len(lines)) // 2
    for number, line in enumerate(lines):
        draw.text((SIZE // 2, top + number * line_height), line, font=font, fill=TEXT_COLOUR, anchor="mt")
    _waveform(draw, digest)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=False, compress_level=9)
    return output.getvalue()


def _font_loader() -> Callable[[int], Font]:
    """A bold system font when one is installed, else the scalable font Pillow ships."""
    from PIL import ImageFont

    for path in FONT_FILES:
        if path.is_file():
            return lambda size: ImageFont.truetype(str(path), size)
    return lambda size: ImageFont.load_default(size=size)  # type: ignore[return-value]


def _fit(title: str, load: Callable[[int], Font]) -> tuple[Font, list[str]]:
    """The largest font size at which the title fits the text area without splitting a word."""
    width, height = SIZE - 2 * MARGIN, SIZE - 3 * MARGIN
    for size in range(LARGEST_TEXT, SMALLEST_TEXT, -10):
        font = load(size)
        if max(font.getlength(word) for word in title.split()) > width:
            continue
        lines = _wrap(title, font, width)
        if len(lines) * size * LINE_SPACING <= height:
            return font, lines
    font = load(SMALLEST_TEXT)
    lines = _wrap(title, font, width)
    return font, lines[: int(height // (SMALLEST_TEXT * LINE_SPACING))]


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Greedy word wrap; a word too long for a line is split between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while font.getlength(current) > width:
            cut = max(1, next(i for i in range(len(current), 0, -1) if font.getlength(current[:i]) <= width))
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _waveform(draw: ImageDraw.ImageDraw, digest: bytes) -> None:
    """A row of rounded bars near the bottom, their heights taken from the title's hash: "this is audio"."""
    bars, bar_width, gap = 24, 40, 30
    left = (SIZE - bars * bar_width - (bars - 1) * gap) // 2
    middle = SIZE - MARGIN
    for number in range(bars):
        half = 20 + digest[number % len(digest)] % 100
        x = left + number * (bar_width + gap)
        draw.rounded_rectangle((x, middle - half, x + bar_width, middle + half), radius=bar_width // 2, fill=ACCENT_COLOUR)
