"""The nodes' Java side for :mod:`web.cluster`: the Maven project in ``opensearch/`` built only when needed.

Maven costs seconds even with nothing to do, and minutes on a first run (it downloads the
server's jars, about 65, into ~/.m2), so a stamp in ``opensearch/target/`` records the hash
of the sources the build was made from and the jars it copied: a start whose stamp matches
and whose jars are all there runs no Maven at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent / "opensearch"
MAIN_CLASS = "id.cariberita.node.BeritaNode"
MAVEN_ARGS = ("-q", "-B", "package", "dependency:copy-dependencies", "-DoutputDirectory=target/lib", "-DincludeScope=runtime")
STAMP = "berita-build.json"  # in target/: the hash of the sources the jars were built from, and the jars

Progress = Callable[[str], None]


def quiet(message: str) -> None:
    """The default progress report: none (the CLI passes one that prints)."""


class ClusterError(Exception):
    """A cluster that cannot be built, started, stopped or found, said in one line a user can act on."""


def find_tool(name: str, install: str) -> str:
    """The path of the command ``name``, or a ClusterError saying how to install it."""
    found = shutil.which(name)
    if found is None:
        raise ClusterError(f"{name} is not installed or not on PATH: {install}")
    return found


def _source_hash(project: Path) -> str:
    """A hash of pom.xml and everything under src/: what the jars and classes are built from."""
    digest = hashlib.sha256()
    for path in [project / "pom.xml", *sorted(p for p in (project / "src").rglob("*") if p.is_file())]:
        digest.update(str(path.relative_to(project)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _built(target: Path, sources: str) -> bool:
    """Whether target/ holds a build of exactly ``sources`` with all its jars still there."""
    try:
        stamp = json.loads((target / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    main_class = target / "classes" / (MAIN_CLASS.replace(".", "/") + ".class")
    jars = stamp.get("jars") or []
    return stamp.get("sources") == sources and main_class.is_file() and bool(jars) and all((target / "lib" / jar).is_file() for jar in jars)


def build(project: Path = PROJECT, progress: Progress = quiet) -> str:
    """The nodes' Java classpath, after building ``project`` with Maven if its sources changed or jars are gone.

    The stamp spares every later start Maven's run (minutes on a first one, which downloads
    about 65 jars into ~/.m2). target/lib is emptied first, so a jar the pom no longer names
    cannot stay on the classpath beside its successor.
    """
    target = project / "target"
    sources = _source_hash(project)
    if not _built(target, sources):
        mvn = find_tool("mvn", "install Maven (Debian: apt-get install maven)")
        progress(f"building {project.name}/ with Maven")
        shutil.rmtree(target / "lib", ignore_errors=True)
        done = subprocess.run([mvn, *MAVEN_ARGS], cwd=project, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if done.returncode:
            errors = [line for line in (done.stdout + done.stderr).splitlines() if "ERROR" in line] or ["(no output)"]
            raise ClusterError(f"Maven could not build {project}: {errors[0].strip()[:300]}")
        jars = sorted(path.name for path in (target / "lib").glob("*.jar"))
        (target / STAMP).write_text(json.dumps({"sources": sources, "jars": jars}), encoding="utf-8")
    return os.pathsep.join([str(target / "classes"), str(target / "lib" / "*")])

