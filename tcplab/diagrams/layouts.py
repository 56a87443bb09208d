"""Layouts made in advance: Graphviz's SVG for the DOT texts the workbook draws.

The browser-only edition has no Graphviz program.  Its state diagrams come from
this bundle first: every layout the lessons draw (and the plain diagram of every
handshake, TIME-WAIT rule and view), laid out by graphviz-pure when the bundle was
written (``python tools/bundle_layouts.py``) and shipped as package data.  A DOT
text not in the bundle is laid out by Graphviz compiled to WebAssembly
(:mod:`tcplab.diagrams.wasm`).  Picking from the bundle costs nothing, so the
lessons' pictures appear at once and in every browser, and a stale bundle cannot
go unnoticed: the tests lay out every entry again and compare.

An entry is keyed by the SHA-256 of the DOT text, and holds either the SVG or the
error Graphviz gave (the state diagram tries a simpler drawing when Graphviz cannot
route one, and the bundle must answer that question the same way).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path

__all__ = ["BUNDLE", "key", "lookup", "entries", "write"]

#: Where the bundle lives (package data of tcplab).
BUNDLE = Path(__file__).with_name("layouts.json.gz")


def key(dot: str) -> str:
    """The bundle's key of a DOT text."""
    return hashlib.sha256(dot.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def entries() -> dict[str, dict[str, str]]:
    """Every entry of the bundle: key -> {"svg": ...} or {"error": ...} (empty if none)."""
    try:
        with gzip.open(BUNDLE, "rt", encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def lookup(dot: str) -> bytes | None:
    """The bundled SVG of ``dot``; None if it is not bundled.  Raises RuntimeError with
    Graphviz's words if Graphviz could not lay it out (as the program would)."""
    entry = entries().get(key(dot))
    if entry is None:
        return None
    if "error" in entry:
        raise RuntimeError(entry["error"])
    return entry["svg"].encode("utf-8")


def write(bundle: dict[str, dict[str, str]], path: Path = BUNDLE) -> Path:
    """Write ``bundle`` (key -> entry) so that the same layouts give the same bytes."""
    text = json.dumps(dict(sorted(bundle.items())), ensure_ascii=False, indent=0)
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    entries.cache_clear()
    return path
