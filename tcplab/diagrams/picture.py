"""What every tcplab picture is: an SVG that displays itself in Jupyter and saves itself."""

from __future__ import annotations

import os
from pathlib import Path


class Picture:
    """Base of the pictures: subclasses implement :meth:`svg`.

    In Jupyter a picture displays itself as SVG (``_repr_svg_``); ``save(path)``
    writes it to a file (``.svg``; subclasses may support more formats).
    """

    #: file suffixes :meth:`save` understands
    formats: tuple[str, ...] = ("svg",)

    def svg(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_svg_(self) -> str:
        return self.svg()

    def _render(self, fmt: str) -> bytes:
        if fmt == "svg":
            return self.svg().encode("utf-8")
        raise ValueError(f"cannot save this picture as {fmt!r}")

    def save(self, path: str | os.PathLike) -> Path:
        """Write the picture to ``path``; the suffix chooses the format."""
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in self.formats:
            raise ValueError(f"{type(self).__name__} can be saved as "
                             f"{', '.join('.' + f for f in self.formats)}, not {path.suffix!r}")
        path.write_bytes(self._render(fmt))
        return path
