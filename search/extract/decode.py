"""Bytes to text for article files, whatever editor or scraper saved them.

Archives mix UTF-8 (with or without BOM), UTF-16 from Windows tools and old
Windows-1252/Latin-1 pages. We decode all of them instead of rejecting the odd one, and
refuse only what is not text at all, with a reason the user can act on.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

# Control characters other than tab, newline, carriage return and form feed (counted by the
# regular expression engine: a Python loop over every character took a second per 20 MB).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
# Windows-1252 leaves five bytes undefined; Latin-1 maps them to C1 controls instead.
_MAX_CONTROL_SHARE = 0.01


class NotTextError(ValueError):
    """The input cannot be an article: empty, binary, or undecodable."""


def decode_bytes(data: bytes) -> str:
    """Decode an article file; raise :class:`NotTextError` with the reason when it is not text."""
    if not data.strip():
        raise NotTextError("empty file")
    text = _decode(data)
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise NotTextError("not a text file (binary data)")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise NotTextError("empty file")
    return text


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        raise NotTextError("not a text file (binary data)")
    return _utf8_or_windows(data)


def _utf8_or_windows(data: bytes) -> str:
    """UTF-8, else Windows-1252, else Latin-1 (which decodes any bytes)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_line(raw: bytes) -> str:
    """One line of a file read a line at a time (see ``search.extract``), decoded as :func:`decode_bytes` decodes a file."""
    return unicodedata.normalize("NFC", _utf8_or_windows(raw))
