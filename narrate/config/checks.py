"""Checks on the values of narrate.toml that their types alone do not make: URLs, e-mail, names, covers, ranges."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from .settings import PUBLISH_GROUPS, S3_SCHEME, is_url, is_web_url

VOICE_REFERENCE_KEYS = frozenset({"backend", "voice", "rate", "pause_scale"})
VALID_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
VALID_SAMPLE_RATES = (16000, 22050, 24000, 32000, 44100, 48000)
SHOW_TYPES = ("episodic", "serial")
BOOKEND_AUDIO_KEYS = ("intro_audio", "outro_audio")
SPEECH_RATES = (80, 450)
"""Words per minute a listener can follow: a slow reading is ~100, a newsreader ~170, a fast podcast ~250."""
WEB_ADDRESS_KEYS = ("base_url", "link")
"""Settings published as links (the feed's <link>, its items' fallback link): http(s) only."""
FEED_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
"""A feed's name: ASCII letters, digits, '-', '_' and '.', so its file name is a URL path without escaping."""
CREDENTIAL_KEY = re.compile(r"key_id|access_key|secret|token|passw|credential", re.IGNORECASE)
"""Keys of [publish] that look like credentials, which belong in the environment or an AWS profile."""
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
MAX_ATTEMPTS = 20
COVER_SIZES = range(1400, 3001)
COVER_SUFFIXES = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg")}
"""The image formats a cover may have, and the file names each must carry (Apple goes by the name)."""
"""Apple's cover rule: square, 1400 to 3000 px a side, PNG or JPEG, RGB colours."""


def check_feed(table: dict[str, Any], root: Path, input_dir: Path, problems: list[str], label: str) -> None:
    """Checks beyond types, on every value that has the right type (so all problems show at once)."""
    def text(key: str) -> str | None:
        value = table.get(key)
        return value if isinstance(value, str) else None

    for key in WEB_ADDRESS_KEYS:
        address = text(key)
        if address is not None and not is_web_url(address):
            problems.append(f"{label}.{key} must be an http(s) URL, not {address!r}")
    email = text("owner_email")
    if email is not None and "@" not in email:
        problems.append(f"{label}.owner_email must be an e-mail address, not {email!r}")
    name = text("name")
    if name is not None and not FEED_NAME.fullmatch(name):
        problems.append(
            f"{label}.name must be made of letters, digits, '-', '_' and '.' (not starting with '.'), as it "
            f"names the feed's file and URL; not {name!r}"
        )
    image = text("image")
    if image and not is_url(image):
        problems += [f"{label}.image {image!r} {problem}" for problem in cover_problems(root / image)]
    kind = text("type")
    if kind is not None and kind not in SHOW_TYPES:
        problems.append(f"{label}.type must be {' or '.join(map(repr, SHOW_TYPES))}, not {kind!r}")
    guid = text("guid")
    if guid is not None and not _is_uuid(guid):
        problems.append(f"{label}.guid must be a UUID like ead4c236-bf58-58c6-a2c6-a6b28d128cb6, not {guid!r}")
    folder = text("select_folder")
    if folder is not None and not (input_dir / folder).is_dir():
        problems.append(f"{label}.select_folder {folder!r} is not a folder of the input {input_dir}")
    for key in BOOKEND_AUDIO_KEYS:
        audio = text(key)
        if audio and (problem := _not_a_file(root / audio)):
            problems.append(f"{label}.{key} {audio!r} {problem}")


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a file (None when it can)."""
    if path.is_dir():
        return "is a folder, not a file"
    return None if path.is_file() else "does not exist"


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def check_voice(table: dict[str, Any], problems: list[str]) -> None:
    """Each [voice.languages] entry is a "backend:voice" string or a table of known keys."""
    scale = table.get("pause_scale")
    if isinstance(scale, (int, float)) and not 0 < scale <= 5:
        problems.append("voice.pause_scale must be above 0 and at most 5")
    timeout = table.get("timeout")
    if isinstance(timeout, (int, float)) and timeout <= 0:
        problems.append("voice.timeout must be a positive number of seconds")
    _check_rate(table.get("rate"), "voice.rate", problems)
    languages = table.get("languages")
    for language, reference in (languages.items() if isinstance(languages, dict) else ()):
        if isinstance(reference, dict):
            _check_rate(reference.get("rate"), f"voice.languages.{language}.rate", problems)
        if isinstance(reference, dict) and set(reference) - VOICE_REFERENCE_KEYS:
            unknown = ", ".join(sorted(set(reference) - VOICE_REFERENCE_KEYS))
            known = ", ".join(sorted(VOICE_REFERENCE_KEYS))
            problems.append(f"voice.languages.{language} has unknown keys: {unknown} (known: {known})")
        elif not isinstance(reference, (str, dict)):
            problems.append(f'voice.languages.{language} must be a string like "espeak-ng:uk" or a table')


def _check_rate(rate: Any, key: str, problems: list[str]) -> None:
    slowest, fastest = SPEECH_RATES
    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and not slowest <= rate <= fastest:
        problems.append(f"{key} must be {slowest} to {fastest} words per minute, not {rate}")


def check_audio(table: dict[str, Any], problems: list[str]) -> None:
    bitrate, sample_rate = table.get("bitrate"), table.get("sample_rate")
    loudness, true_peak, quality = table.get("loudness"), table.get("true_peak"), table.get("quality")
    if isinstance(loudness, (int, float)) and not -40 <= loudness <= -5:
        problems.append("audio.loudness must be between -40 and -5 (LUFS; podcasts use -16)")
    if isinstance(true_peak, (int, float)) and not -9 <= true_peak <= 0:
        problems.append("audio.true_peak must be between -9 and 0 (dBTP; podcasts use -1)")
    if isinstance(quality, int) and not 0 <= quality <= 9:
        problems.append("audio.quality must be a whole number from 0 (best, slowest) to 9 (fastest)")
    if isinstance(bitrate, int) and bitrate not in VALID_BITRATES:
        problems.append(f"audio.bitrate must be one of {', '.join(map(str, VALID_BITRATES))} (kbps)")
    if isinstance(sample_rate, int) and sample_rate not in VALID_SAMPLE_RATES:
        problems.append(
            f"audio.sample_rate must be one of {', '.join(map(str, VALID_SAMPLE_RATES))} (Hz)"
        )


def cover_problems(path: Path) -> list[str]:
    """What keeps a local image from being a valid podcast cover ([] when it is one)."""
    from PIL import Image

    if problem := _not_a_file(path):
        return [problem]
    try:
        with Image.open(path) as image:
            kind, (width, height), mode = image.format, image.size, image.mode
    except Image.DecompressionBombError:
        return ["has so many pixels that opening it could exhaust the memory; a cover is 1400 to 3000 px a side"]
    except OSError:
        return ["is not an image Pillow can read (use a PNG or JPEG)"]
    problems = []
    if kind not in COVER_SUFFIXES:
        problems.append(f"is a {kind} image; use a PNG or JPEG")
    elif path.suffix.lower() not in COVER_SUFFIXES[kind]:
        problems.append(f"is a {kind} image whose name does not end in {COVER_SUFFIXES[kind][0]}: podcast apps go by "
                        f"the name, so rename it {path.stem}{COVER_SUFFIXES[kind][0]}")
    if width != height:
        problems.append(f"is {width}x{height} px; a cover must be square")
    elif width not in COVER_SIZES:
        problems.append(f"is {width}x{height} px; a cover must be 1400 to 3000 px a side")
    if mode == "CMYK":
        problems.append("uses CMYK colours; save it as RGB")
    return problems


def credential_keys(table: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """[publish] without keys that look like credentials, which are refused in one line that shows no value."""
    found = sorted(key for key in table if CREDENTIAL_KEY.search(key))
    if found:
        problems.append(
            f"{', '.join(f'publish.{key}' for key in found)}: credentials never go in narrate.toml; remove "
            f"{'them' if len(found) > 1 else 'it'} and give them the usual AWS ways (AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY in the environment, or a profile in ~/.aws/credentials)"
        )
    return {key: value for key, value in table.items() if key not in found}


def check_publish(table: dict[str, Any], problems: list[str]) -> None:
    """The target is an s3:// address or a folder; the endpoint an http(s) URL without credentials in it."""
    target, endpoint = table.get("target"), table.get("endpoint_url")
    if isinstance(target, str) and target.startswith(S3_SCHEME):
        bucket = target.removeprefix(S3_SCHEME).partition("/")[0]
        if not BUCKET_NAME.fullmatch(bucket):
            problems.append(f"publish.target {target!r} must be s3://BUCKET/PREFIX, with a bucket name of 3 to 63 "
                            "lowercase letters, digits, dots and hyphens")
    elif isinstance(target, str) and (is_url(target) or not target.strip()):
        problems.append(f"publish.target must be s3://BUCKET/PREFIX or a folder, not {target!r}")
    elif isinstance(endpoint, str):
        problems.append("publish.endpoint_url is for s3:// targets only; a folder target needs none")
    if isinstance(endpoint, str):
        if "@" in endpoint.partition("://")[2].partition("/")[0]:
            problems.append("publish.endpoint_url must not hold credentials (user:password@); give them the usual "
                            "AWS ways (environment or a profile in ~/.aws/credentials)")
        elif not is_web_url(endpoint):
            problems.append(f"publish.endpoint_url must be an http(s) URL, not {endpoint!r}")
    attempts = table.get("attempts")
    if isinstance(attempts, int) and not 1 <= attempts <= MAX_ATTEMPTS:
        problems.append(f"publish.attempts must be from 1 to {MAX_ATTEMPTS}")
    cache_control = table.get("cache_control")
    for group, value in (cache_control.items() if isinstance(cache_control, dict) else ()):
        if group not in PUBLISH_GROUPS:
            problems.append(f"publish.cache_control.{group} is not a group; the groups are {', '.join(PUBLISH_GROUPS)}")
        elif not isinstance(value, str) or not value.strip() or not value.isprintable():
            problems.append(f'publish.cache_control.{group} must be a Cache-Control value like "public, max-age=300"')
