"""What a file that cannot be read as the contract's CSV most likely is, told from its bytes.

The hints name the file's real format and what to do, instead of the misleading error the
CSV reader would give (a UTF-16 or gzip file fails as "not valid UTF-8", a semicolon-delimited
file as "missing required columns" with the whole header as one name).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

GZIP_SUFFIX = ".gz"
# Enough bytes to see a byte-order mark, a magic number and NULs of a UTF-16 header line.
SAMPLE_BYTES = 4096

_MAGIC = (
    (b"\xff\xfe", "is UTF-16 (byte-order mark FF FE)"),
    (b"\xfe\xff", "is UTF-16 (byte-order mark FE FF)"),
    (b"PK\x03\x04", "is a ZIP archive (an Excel .xlsx workbook?)"),
)
_UTF16_ADVICE = "export it as UTF-8 (or Shift-JIS/cp932, set in CSA_SOURCE_ENCODINGS)"
_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


def is_gzip_name(path: Path) -> bool:
    return path.name.lower().endswith(GZIP_SUFFIX)


@contextmanager
def open_bytes(path: Path) -> Iterator[BinaryIO]:
    """The file's content: decompressed when its name ends in .gz."""
    with gzip.open(path, "rb") if is_gzip_name(path) else path.open("rb") as handle:
        yield handle


def unreadable_reason(path: Path) -> str | None:
    """Why the file is not a CSV, with what to do; None when it may be one."""
    with path.open("rb") as raw:
        magic = raw.read(2)
    if magic == b"\x1f\x8b" and not is_gzip_name(path):
        return (
            f"is gzip-compressed but named {path.name}: name it {path.name}.gz (loaded as it "
            "is) or decompress it"
        )
    try:
        with open_bytes(path) as handle:
            sample = handle.read(SAMPLE_BYTES)
    except (gzip.BadGzipFile, EOFError) as error:
        return f"is named .gz but is not a complete gzip file ({error}): deliver it again"
    for prefix, what in _MAGIC:
        if sample.startswith(prefix):
            advice = _UTF16_ADVICE if "UTF-16" in what else "export it as CSV"
            return f"{what}: {advice}"
    if b"\x00" in sample:
        return (
            f"contains NUL bytes (UTF-16 without a byte-order mark, or not text): {_UTF16_ADVICE}"
        )
    return None


def delimiter_hint(header_line: str, fields: list[str]) -> str:
    """'' or why the header looks delimited by something other than commas."""
    counts = {char: header_line.count(char) for char in _DELIMITERS}
    char = max(counts, key=counts.__getitem__)
    if counts[char] < len(fields):
        return ""
    return (
        f"; the header looks {_DELIMITERS[char]}-delimited ({counts[char]} {char!r}): export "
        "it with commas, the contract's delimiter"
    )
