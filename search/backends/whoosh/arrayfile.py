"""A set of arrays in one file, memory-mapped once: a segment's (or a merged set's) posting arrays.

Each array was once an ``.npy`` file of its own, mapped on its own; Python's ``mmap`` keeps
a file descriptor for every mapping, so a set held about 75 of them. A million-article
build left 80 segments before its final merge: the merge needed 6,000 descriptors, failed
against the usual limit, and the queries after it failed too. Here a set is one data file
(each array's bytes at an offset aligned to :data:`ALIGN`) and a small JSON index of names,
dtypes, shapes and offsets: one descriptor a set, whatever the number of arrays.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from search.backends.whoosh.mapped import mapped_bytes

DATA = "arrays.bin"
INDEX = "arrays.json"
ALIGN = 64  # each array starts at a multiple of this: aligned for any dtype, and for a cache line


def write_arrays(folder: Path, arrays: Iterable[tuple[str, np.ndarray]]) -> None:
    """Write ``arrays`` (name, array; plain dtypes only) into ``folder``'s data file and index, one after another."""
    index: dict[str, dict[str, object]] = {}
    offset = 0
    with (folder / DATA).open("wb") as data:
        for name, array in arrays:
            array = np.ascontiguousarray(array)
            if array.dtype.hasobject:
                raise ValueError(f"{name}: an object array cannot be mapped")
            padding = -offset % ALIGN
            data.write(b"\0" * padding)
            offset += padding
            index[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
            data.write(array.tobytes())
            offset += array.nbytes
    (folder / INDEX).write_text(json.dumps(index), encoding="utf-8")


def read_arrays(folder: Path) -> Callable[[str], np.ndarray]:
    """The arrays :func:`write_arrays` wrote into ``folder``, by name: read-only views of one mapping of its data file."""
    index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    data = mapped_bytes(folder / DATA)

    def array(name: str) -> np.ndarray:
        entry = index[name]
        dtype, shape = np.dtype(entry["dtype"]), tuple(entry["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        if not count:
            return np.zeros(shape, dtype=dtype)
        view = np.frombuffer(data, dtype=dtype, count=count, offset=int(entry["offset"]))
        return view.reshape(shape)

    return array
