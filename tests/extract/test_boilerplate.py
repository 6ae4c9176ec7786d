"""Site furniture never reaches a stored body, from records' text as from raw text, wherever it stands.

The texts are as a scraper saves detik's and other outlets' pages: the mid-article break, an
advert marker and a "read also" prompt glued into the paragraphs, a video embed, and the
editors' initials closing the article.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.extract import Extracted, read_paths
from tests.conftest import EXPECTATIONS_DAY

PARAGRAPHS = [
    "Jakarta - Pemerintah menyiapkan anggaran pemindahan aparatur sipil negara ke Ibu Kota Nusantara tahun depan. "
    "SCROLL TO CONTINUE WITH CONTENT Menurut Menteri Keuangan, anggaran itu sudah masuk daftar prioritas.",
    "Baca juga: IKN Masuk Daftar Prioritas Pemerintah, Segini Anggarannya",
    "Sebanyak 1.700 hingga 4.100 pegawai akan dipindahkan bertahap. ADVERTISEMENT Pemindahan dimulai dari kementerian "
    "koordinator. Baca juga: Ribuan ASN Bakal Dipindah ke IKN Mereka akan menempati hunian yang sudah dibangun.",
    'Simak juga Video: "Menengok Progres Pembangunan Istana di IKN" [Gambas:Video 20detik]',
    "Pemerintah memastikan fasilitas pendidikan dan kesehatan sudah siap digunakan para pegawai. (rdp/imk)",
]
FURNITURE = ["SCROLL TO CONTINUE", "ADVERTISEMENT", "Baca juga", "Segini Anggarannya", "Ribuan ASN Bakal", "Simak juga",
             "Menengok Progres", "Gambas", "(rdp/imk)", "rdp/imk"]
KEPT = ["Menurut Menteri Keuangan, anggaran itu sudah masuk daftar prioritas.", "Pemindahan dimulai dari kementerian koordinator.",
        "Mereka akan menempati hunian yang sudah dibangun.", "siap digunakan para pegawai."]


def _body(path: Path) -> str:
    [result] = list(read_paths([path], today=EXPECTATIONS_DAY))
    assert isinstance(result, Extracted)
    return result.article.body


@pytest.mark.parametrize("joined", ["\n\n", "\n", " "], ids=["paragraphs", "lines", "flattened"])
def test_no_furniture_survives_in_a_records_body(tmp_path: Path, joined: str) -> None:
    path = tmp_path / "detik.jsonl"
    record = {"title": "ASN Pindah ke IKN", "url": "https://news.detik.com/berita/d-8171947/asn-pindah", "date": "10/21/2025 20:43",
              "text": joined.join(PARAGRAPHS)}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    body = _body(path)
    assert [word for word in FURNITURE if word in body] == []
    assert [sentence for sentence in KEPT if sentence not in body] == []


@pytest.mark.parametrize("joined", ["\n\n", " "], ids=["paragraphs", "flattened"])
def test_no_furniture_survives_in_a_raw_texts_body(tmp_path: Path, joined: str) -> None:
    path = tmp_path / "artikel.txt"
    path.write_text("ASN Pindah ke IKN\n\n" + joined.join(PARAGRAPHS), encoding="utf-8")
    body = _body(path)
    assert [word for word in FURNITURE if word in body] == []
    assert [sentence for sentence in KEPT if sentence not in body] == []


def test_advertisement_as_a_word_of_a_sentence_stays(tmp_path: Path) -> None:
    path = tmp_path / "iklan.jsonl"
    text = "Perusahaan itu memasang advertisement di media sosial untuk menarik pelanggan baru di kota besar."
    path.write_text(json.dumps({"id": "a", "text": text}) + "\n", encoding="utf-8")
    assert _body(path) == text
