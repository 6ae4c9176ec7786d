"""Site furniture in an article's text, wherever it stands: lines to drop, and the runs scrapers leave inside paragraphs.

Outlets break their articles with prompts and adverts (``SCROLL TO CONTINUE WITH CONTENT``,
``ADVERTISEMENT``, ``Baca juga: …``, ``Simak juga Video: …``, ``[Gambas:Video 20detik]``) and end
them with the editors' initials (``(rdp/imk)``). On a page they are lines of their own; a
scraper that flattens the page glues them into the paragraphs around them. Both are removed,
from raw text (:mod:`.text`) and from records' text (:mod:`.records`) alike, so none of it shows
in a snippet or counts as a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A line longer than this is never dropped as furniture: a scraper glued an article to it.
_FURNITURE_MAX = 300

_DROP_EXACT = {
    "advertisement",
    "scroll to resume content",
    "scroll to continue with content",
    "iklan",
    "bagikan",
    "share",
    "tweet",
    "loading...",
    "lihat foto",
    "copy link",
    "link copied!",
}
_DROP_LINE = [
    re.compile(r"^baca\s+(juga|selengkapnya)\b", re.I),
    re.compile(r"^(simak|lihat|tonton)\s+(juga|video)\b.*:", re.I),
    re.compile(r"^tonton juga\b", re.I),
    re.compile(r"^pilihan\s+editor\s*:", re.I),
    re.compile(r"^\S*?\d[\d.]*\s+(kali\s+)?dilihat$", re.I),  # "Balikpapan3 Dilihat"
    re.compile(r"^dibaca\s+[\d.]+\s*(kali)?$", re.I),
    re.compile(r"^[\d.]+\s+(views?|kali dibaca)$", re.I),
    re.compile(r"^\(?(foto|photo|ilustrasi|sumber foto)\s*:", re.I),
    re.compile(r"\b(foto|photo)\s*:\s*[^.]{0,60}$", re.I),  # caption ending in a photo credit
    re.compile(r"^(bagikan|share)( (artikel|berita) ini)?\s*:", re.I),
    re.compile(r"^klik (untuk|di sini)\b", re.I),
    re.compile(r"^(scroll|gulir) (untuk|to|ke bawah)\b", re.I),
    re.compile(r"^(ikuti|simak|follow|dapatkan|gabung|download|unduh)\b.{0,120}"
               r"\b(google news|whatsapp|telegram|instagram|channel|aplikasi|update berita)\b", re.I),
    re.compile(r"^(copyright|hak cipta)\b|^©", re.I),
    re.compile(r"^alamat email anda tidak akan dipublikasikan", re.I),
    re.compile(r"^ruas yang wajib ditandai", re.I),
    re.compile(r"^simpan nama, email", re.I),
    re.compile(r"^[(\[]\s*[a-z]{2,6}(\s*/\s*[a-z]{2,6})*\s*[)\]]$", re.I),  # "(arb)", "[tyo]" initials
]
# Everything after these belongs to the comment section.
_COMMENTS_START = re.compile(r"^(tinggalkan (balasan|komentar)|berikan komentar|kirim komentar|tulis komentar)\b", re.I)
_TRAILING_INITIALS = re.compile(r"\s*[(\[]\s*[a-z]{2,6}(?:\s*/\s*[a-z]{2,6})*\s*[)\]]\s*$", re.I)

# Furniture inside a paragraph. An embed and the scroll prompt are removed wherever they stand; an advert marker
# only in capitals (``advertisement`` in a sentence is a word); a "read also" prompt with the headline it links.
_INLINE = [
    re.compile(r"\s*\[\s*gambas\s*:[^\]]{0,80}\]\s*", re.I),
    re.compile(r"\s*\b(?:scroll|gulir)\s+(?:to|untuk)\s+(?:continue\s+with|resume|melanjutkan(?:\s+membaca)?)\s+(?:content|konten)?\b\s*", re.I),
    re.compile(r"\s*\bADVERTISEMENT\b\s*"),
]
# "Baca juga: <headline>" and "Simak juga Video: <headline>" inside a paragraph: the prompt, then the linked headline,
# quoted, or a run of capitalised words (Indonesian headlines capitalise all but a few small words).
_PROMPT = re.compile(r"(?:^|(?<=[\s.!?\"”]))(?:baca\s+(?:juga|pula)|simak\s+(?:juga\s+)?(?:video|berita)|lihat\s+juga|tonton\s+juga)\b\s*(?:video)?\s*:?\s*",
                     re.I)
_SMALL = {"di", "ke", "dari", "dan", "yang", "untuk", "dengan", "pada", "atau", "dalam", "oleh", "vs", "hingga", "jadi", "soal", "usai"}
_WORD = re.compile(r"\S+")


def without_furniture(lines: Iterable[str]) -> list[str]:
    """Non-empty lines (or paragraphs) with furniture removed, and nothing from the comment section on."""
    kept: list[str] = []
    for raw in lines:
        if _COMMENTS_START.match(raw):
            break
        if _furniture(raw) or _furniture(line := without_inline_furniture(raw)) or not line:
            continue
        kept.append(line)
    return kept


def _furniture(line: str) -> bool:
    return len(line) <= _FURNITURE_MAX and (line.lower() in _DROP_EXACT or any(pattern.search(line) for pattern in _DROP_LINE))


def without_inline_furniture(text: str) -> str:
    """``text`` without the furniture a scraper glued inside it (see the module docstring), spaces folded."""
    for pattern in _INLINE:
        text = pattern.sub(" ", text)
    while (prompt := _PROMPT.search(text)) and prompt.end() < len(text):
        text = text[:prompt.start()] + " " + text[_headline_end(text, prompt.end()):]
    return " ".join(text.split())


def _headline_end(text: str, start: int) -> int:
    """Where the headline a "read also" prompt links ends: after its closing quote, else after its capitalised run
    (the capitalised word just before the first lower-case one opens the next sentence and is kept)."""
    if text[start] in "\"“'‘":
        close = text.find({"“": "”", "‘": "’"}.get(text[start], text[start]), start + 1)
        return close + 1 if close > 0 and close - start < 200 else start
    words = list(_WORD.finditer(text, start))
    taken = 0
    for word in words:
        letters = word.group().strip("\"“”'‘’()[],:;")
        if not letters or letters[0].isupper() or letters[0].isdigit() or letters.lower() in _SMALL:
            taken += 1
            if word.group().endswith((".", "!", "?")) or taken >= 25:
                return word.end()
            continue
        break
    else:
        return len(text) if words else start
    if taken <= 1:
        return start  # no headline, or one word that may begin the sentence after it: only the prompt goes
    return words[taken - 2].end()  # the last capitalised word starts the next sentence


def without_closing_initials(line: str) -> str:
    """The last line without the editors' initials that close it (``(rdp/imk)``, ``[tyo]``)."""
    return _TRAILING_INITIALS.sub("", line)


def clean_paragraphs(text: str) -> list[str]:
    """A record's text as paragraphs (blank lines apart; a paragraph's own lines joined), its furniture removed.

    The last paragraph loses its closing initials; nothing after the start of a comment section is kept.
    """
    paragraphs: list[str] = []
    for block in text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").split("\n\n"):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        if kept := without_furniture(lines):  # up to a comment section's start, if it has one
            paragraphs.append(" ".join(kept))
        if any(_COMMENTS_START.match(line) for line in lines):
            break
    if paragraphs:
        paragraphs[-1] = without_closing_initials(paragraphs[-1])
    return [paragraph for paragraph in paragraphs if paragraph]
