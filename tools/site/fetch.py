"""Downloads from the package registries only, kept in .cache/site/ and checked.

npm tarballs come from registry.npmjs.org (no node or npm needed) and are checked against
the registry's ``dist.integrity``; Python wheels come from PyPI through ``pip download``.
A filled cache is used without any network access.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

NPM_REGISTRY = "https://registry.npmjs.org"


def _check_integrity(data: bytes, integrity: str, name: str) -> None:
    algo, _, digest = integrity.partition("-")
    got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if got != digest:
        raise RuntimeError(f"{name}: {algo} of the tarball does not match the npm "
                           f"registry's integrity ({got} != {digest})")


def npm_tarball(name: str, version: str, cache: Path) -> Path:
    """The npm package ``name@version`` as a .tgz in ``cache`` (downloaded once, checked)."""
    safe = name.replace("/", "+")
    tgz = cache / "npm" / f"{safe}-{version}.tgz"
    meta_file = tgz.with_suffix(".json")
    if tgz.exists() and meta_file.exists():
        dist = json.loads(meta_file.read_text())
        _check_integrity(tgz.read_bytes(), dist["integrity"], f"{name}@{version}")
        return tgz
    tgz.parent.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(f"{NPM_REGISTRY}/{name}/{version}", timeout=60) as r:
        dist = json.load(r)["dist"]
    if not dist["tarball"].startswith(NPM_REGISTRY + "/"):
        raise RuntimeError(f"{name}@{version}: tarball outside the registry: {dist['tarball']}")
    with urllib.request.urlopen(dist["tarball"], timeout=300) as r:
        data = r.read()
    _check_integrity(data, dist["integrity"], f"{name}@{version}")
    if hashlib.sha1(data).hexdigest() != dist["shasum"]:
        raise RuntimeError(f"{name}@{version}: sha1 does not match the registry's shasum")
    tmp = tgz.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(tgz)
    meta_file.write_text(json.dumps(dist))
    return tgz


def npm_unpacked(name: str, version: str, cache: Path) -> Path:
    """The ``package/`` folder of ``name@version``, unpacked once into the cache."""
    tgz = npm_tarball(name, version, cache)
    dest = tgz.with_suffix("")
    if not (dest / "package").is_dir():
        tmp = dest.with_name(dest.name + ".part")
        shutil.rmtree(tmp, ignore_errors=True)
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        shutil.rmtree(dest, ignore_errors=True)
        tmp.replace(dest)
    return dest / "package"


def pypi_wheels(requirements: list[str], cache: Path, python_version: str) -> list[Path]:
    """Pure-Python wheels (``py3-none-any``) for exact ``name==version`` requirements.

    Downloaded with pip (PyPI, no dependencies: the caller names the closure) into
    ``cache/wheels``; pip checks the hashes PyPI publishes.  Offline, a wheel already in
    the cache is used as it is.
    """
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [r for r in requirements if _cached_wheel(folder, r) is None]
    if missing:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
             "--no-deps", "--only-binary=:all:", "--platform", "any",
             "--python-version", python_version, "--implementation", "py",
             "--dest", str(folder), *missing], check=True)
    wheels = []
    for r in requirements:
        wheel = _cached_wheel(folder, r)
        if wheel is None:
            raise RuntimeError(f"pip download gave no pure wheel for {r}")
        wheels.append(wheel)
    return wheels


def _norm(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _cached_wheel(folder: Path, requirement: str) -> Path | None:
    name, _, version = requirement.partition("==")
    for wheel in folder.glob("*-none-any.whl"):
        w_name, w_version = wheel.name.split("-")[:2]
        if _norm(w_name) == _norm(name) and w_version == version:
            return wheel
    return None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
