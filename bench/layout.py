"""Throwaway Lambda-like file trees, with and without bytecode, and the size of the built artifact.

Lambda puts the function's artifact (/var/task) first on sys.path and the runtime's own packages (boto3,
botocore, urllib3 ...) after it; the stdlib of the runtime image ships its bytecode. /var/task is read-only,
so bytecode missing from the artifact is compiled again on every cold start, never cached.

The benchmark builds, in one temp dir:
  artifact-nopyc  pip install -r src/requirements.txt --target --no-compile, plus src/pagerduty_trigger
                  (what `sam build` ships: no __pycache__); also what the artifact size is measured on
  artifact-pyc    the same, then `python -m compileall --invalidation-mode unchecked-hash`
  runtime-nopyc   boto3 and its dependencies copied from .venv without any bytecode
  runtime-pyc     the same, compiled
  floor-nopyc/-pyc  the floor handler alone (its artifact: boto3 and urllib3 come from the runtime)
and runs children with `python -S -P` and PYTHONPATH=<artifact>:<runtime>, so nothing is imported from
.venv, and PYTHONDONTWRITEBYTECODE=1, so no run leaves bytecode for the next. The interpreter's stdlib keeps
its bytecode in every variant, as on Lambda. (PYTHONPYCACHEPREFIX at an empty dir was not used: it would
also hide the stdlib's bytecode, which a real runtime has, and it cannot model "runtime compiled, artifact
not".)
"""

import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
# What the Lambda Python runtime provides (boto3 and its dependency closure); never bundled.
RUNTIME_DISTS = ("boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3")


@dataclass(frozen=True)
class Layout:
    root: Path

    def path(self, name: str) -> Path:
        return self.root / name

    @property
    def child(self) -> Path:
        return self.root / "child.py"


def _ignore_bytecode(_dir: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__" or n.endswith(".pyc")]


def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, ignore=_ignore_bytecode, dirs_exist_ok=True)


def _compile(tree: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(tree)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _copy_dists(names: tuple[str, ...], dst: Path) -> None:
    """The installed files of these distributions, from .venv, without bytecode."""
    for name in names:
        dist = importlib.metadata.distribution(name)
        for file in dist.files or ():
            parts = file.parts
            if parts[0].endswith(".dist-info") or "__pycache__" in parts or file.suffix == ".pyc" or ".." in parts:
                continue
            source = Path(str(dist.locate_file(file)))
            target = dst / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _pip_artifact(dst: Path) -> str:
    """The function's dependencies as `sam build` would bundle them; .venv's copies if PyPI is unreachable."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--no-warn-script-location",
        "--target",
        str(dst),
        "-r",
        str(SRC / "requirements.txt"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return "pip install --target"
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    needed = ["aws-lambda-powertools", "urllib3", "fastjsonschema", "jmespath", "typing-extensions"]
    _copy_dists(tuple(needed), dst)
    return "copied from .venv (pip install --target failed: " + done.stderr.strip().splitlines()[-1][:120] + ")"


def build(root: Path, src: Path = SRC) -> tuple[Layout, str]:
    """All trees under root; returns the layout and how the artifact's dependencies were obtained."""
    layout = Layout(root)
    artifact = layout.path("artifact-nopyc")
    how = _pip_artifact(artifact)
    _copy_tree(src / "pagerduty_trigger", artifact / "pagerduty_trigger")
    _copy_tree(artifact, layout.path("artifact-pyc"))
    _compile(layout.path("artifact-pyc"))

    _copy_dists(RUNTIME_DISTS, layout.path("runtime-nopyc"))
    _copy_tree(layout.path("runtime-nopyc"), layout.path("runtime-pyc"))
    _compile(layout.path("runtime-pyc"))

    here = Path(__file__).resolve().parent
    for variant in ("floor-nopyc", "floor-pyc"):
        layout.path(variant).mkdir()
        shutil.copy2(here / "floor_handler.py", layout.path(variant) / "floor_handler.py")
    _compile(layout.path("floor-pyc"))
    shutil.copy2(here / "child.py", layout.child)
    return layout, how


def with_source(layout: Layout, name: str, src_package: Path) -> tuple[Path, Path]:
    """Artifacts (nopyc, pyc) identical to the built one but with another copy of pagerduty_trigger."""
    pair = []
    for variant in ("nopyc", "pyc"):
        target = layout.path(f"{name}-{variant}")
        shutil.copytree(layout.path(f"artifact-{variant}"), target, symlinks=True, copy_function=_link_or_copy)
        shutil.rmtree(target / "pagerduty_trigger")
        _copy_tree(src_package, target / "pagerduty_trigger")
        if variant == "pyc":
            _compile(target / "pagerduty_trigger")
        pair.append(target)
    return pair[0], pair[1]


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def bytecode_files(tree: Path) -> int:
    return sum(1 for _ in tree.rglob("*.pyc"))


def tree_size(tree: Path) -> dict[str, Any]:
    """Bytes and files on disk, the deflated zip (what is uploaded) and the largest top-level entries."""
    files = [p for p in tree.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    by_top: dict[str, int] = {}
    for p in files:
        top = p.relative_to(tree).parts[0]
        by_top[top] = by_top.get(top, 0) + p.stat().st_size
    zipped = tree.parent / (tree.name + ".zip")
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        for p in sorted(files):
            archive.write(p, p.relative_to(tree))
    zip_bytes = zipped.stat().st_size
    zipped.unlink()
    largest = sorted(by_top.items(), key=lambda kv: -kv[1])[:6]
    return {"bytes": total, "files": len(files), "zip_bytes": zip_bytes, "largest": dict(largest)}
