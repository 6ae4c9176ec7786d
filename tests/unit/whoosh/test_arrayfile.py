"""A set of arrays in one mapped file: every array read back as written, and one file descriptor a set.

A million-article build failed when each of its 80 segments' 75 arrays held a descriptor of
its own (the merge, then every search, ran out of them).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from search.backends.whoosh.arrayfile import read_arrays, write_arrays

ARRAYS = {
    "terms": np.array([b"banjir", b"harga", b"jakarta"], dtype="S7"),
    "starts": np.array([0, 3, 3, 9], dtype=np.int64),
    "words": np.array([2**63 + 5, 7], dtype=np.uint64),
    "lengths": np.array([1.5, 250.0], dtype=np.float32),
    "empty": np.zeros(0, dtype=np.int32),
    "odd": np.arange(5, dtype=np.uint8),  # an odd size: the next array must still be aligned
    "after": np.arange(3, dtype=np.int64),
}


def test_every_array_reads_back_as_written(tmp_path: Path) -> None:
    write_arrays(tmp_path, ARRAYS.items())
    array = read_arrays(tmp_path)
    for name, written in ARRAYS.items():
        read = array(name)
        assert read.dtype == written.dtype and read.shape == written.shape and np.array_equal(read, written), name
        assert not read.flags.writeable or not len(read)


def test_a_set_holds_one_file_descriptor_whatever_its_number_of_arrays(tmp_path: Path) -> None:
    many = {f"a{n}": np.arange(n + 1, dtype=np.int64) for n in range(200)}
    folders = []
    for number in range(5):
        folder = tmp_path / f"set{number}"
        folder.mkdir()
        write_arrays(folder, many.items())
        folders.append(folder)
    before = len(os.listdir("/proc/self/fd"))
    readers = [read_arrays(folder) for folder in folders]
    views = [reader(name) for reader in readers for name in many]
    assert len(os.listdir("/proc/self/fd")) - before <= len(folders)
    assert int(views[-1][-1]) == 199


def test_a_set_of_empty_arrays_reads_back(tmp_path: Path) -> None:
    write_arrays(tmp_path, [("none", np.zeros(0, dtype=np.int64))])
    assert read_arrays(tmp_path)("none").tolist() == []
