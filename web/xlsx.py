"""An export as an Excel workbook: a sheet "Hasil" of the rows and a sheet "Tentang" saying what they are.

Analysts asked for a workbook because a CSV depends on the spreadsheet's regional settings
(an Indonesian Excel expects ``;`` and reads ``2017-03-05`` by its own rules); a workbook carries
its types: dates are Excel dates shown ``dd/mm/yyyy``, numbers are numbers, text is text.

openpyxl's write-only mode writes each row to a temporary file as it comes, so memory stays
flat however many rows there are. The zip around the sheets can only be written once every
row is in, so the whole file is built (on disk, in ``out``) before a byte is sent; the view
then streams the finished file. That also means a failure half-way (the export's time budget,
a cluster gone) is answered as an error, never as a workbook that looks complete.

Formulas: openpyxl stores a text starting with ``=`` as a formula and one like ``#N/A`` as an
error value. Every text here is stored as text instead, exactly as written (no ``'`` is
needed, unlike the CSV: a spreadsheet never evaluates a text cell of a workbook).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESULTS_SHEET = "Hasil"
ABOUT_SHEET = "Tentang"
DATE_FORMAT = "dd/mm/yyyy"  # day first, as Indonesia writes dates; Excel shows it so whatever the reader's settings
TIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
# Column widths in characters, by column name; others get DEFAULT_WIDTH.
WIDTHS = {"id": 26, "title": 50, "headline": 60, "outlet": 22, "outlet_key": 22, "outlet_group": 16, "date": 12,
          "city": 16, "category": 16, "author": 22, "editor": 22, "url": 50, "article_url": 50, "story": 26}
DEFAULT_WIDTH = 18
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
# What XML 1.0 cannot hold at all (control characters, lone surrogates, U+FFFE/U+FFFF): a stored article or a query may
# hold them, and one such character would fail the whole file. openpyxl's own check refuses only the control characters.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Sheet = Any  # openpyxl's WriteOnlyWorksheet (the library ships no type information)


def write_workbook(out: IO[bytes], columns: Sequence[str], rows: Iterable[Mapping[str, object]], total: int,
                   about: Sequence[tuple[str, object]], title: str) -> int:
    """Write the workbook to ``out``; return how many rows were written.

    ``rows`` hold Python values by column name (a ``date`` becomes a date cell, an ``int`` a
    number, ``None`` an empty cell). ``total`` is how many rows will come (the header's
    filter covers them); ``about`` the label and value pairs of the "Tentang" sheet.
    """
    book = Workbook(write_only=True)
    book.properties.title, book.properties.creator = xml_text(title), "Cari Berita"
    book.properties.created = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    sheets = [book.create_sheet(RESULTS_SHEET), book.create_sheet(ABOUT_SHEET)]
    try:
        written = _results(sheets[0], columns, rows, total)
        _about(sheets[1], about)
        book.save(out)
    except BaseException:
        _remove_sheet_files(sheets)
        raise
    return written


def _results(sheet: Sheet, columns: Sequence[str], rows: Iterable[Mapping[str, object]], total: int) -> int:
    """The header (bold, frozen, with a filter) and a row per match."""
    for number, name in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(number)].width = WIDTHS.get(name, DEFAULT_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{total + 1}"
    sheet.append([_bold(sheet, name) for name in columns])
    written = 0
    for row in rows:
        sheet.append([cell_value(sheet, row[name]) for name in columns])
        written += 1
    return written


def _about(sheet: Sheet, about: Sequence[tuple[str, object]]) -> None:
    """What the rows are: the search, its filters, when it was exported, how many matched."""
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 22, 80
    for label, value in about:
        sheet.append([_bold(sheet, label), cell_value(sheet, value)])


def _bold(sheet: Sheet, text: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell


def cell_value(sheet: Sheet, value: object) -> object:
    """``value`` as the sheet should store it: a date cell with its format, text always as text, numbers as they are."""
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = TIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
        return cell
    if value is None or isinstance(value, bool | int | float):
        return value
    text = xml_text(value)[:MAX_CELL_TEXT]
    if text.startswith("=") or text in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value="")
        cell.value, cell.data_type = text, "s"  # stored as text: never a formula or an error value
        return cell
    return text


def xml_text(value: object) -> str:
    """``value`` as text without the characters a workbook cannot store (:data:`NOT_XML`)."""
    return NOT_XML.sub("", str(value))


def _remove_sheet_files(sheets: Sequence[Sheet]) -> None:
    """Delete the temporary files of sheets left unfinished; openpyxl would keep them until the process ends.

    A worker serves many exports; one that broke off (its time budget) must not leave its rows on disk.
    """
    for sheet in sheets:
        writer = sheet._writer  # openpyxl's own: the writer holding the sheet's temporary file, None before a row
        if writer is None:
            continue
        if not sheet.closed:
            sheet.close()  # ends the file's XML and closes it
        if os.path.exists(writer.out):  # a sheet already in the zip has lost its file
            writer.cleanup()
