"""How big the site is: on disk, and roughly what a server sending gzip would send."""

from __future__ import annotations

import zlib
from pathlib import Path


def site_size(site: Path) -> tuple[int, int]:
    """(bytes on disk, bytes gzipped file by file at level 6: an estimate of the transfer)."""
    total = packed = 0
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            total += len(data)
            packed += len(zlib.compress(data, 6))
    return total, packed


def biggest(site: Path, n: int = 8) -> list[tuple[int, str]]:
    """The ``n`` largest files: (bytes, path in the site)."""
    sizes = [(p.stat().st_size, str(p.relative_to(site))) for p in site.rglob("*")
             if p.is_file()]
    return sorted(sizes, reverse=True)[:n]
