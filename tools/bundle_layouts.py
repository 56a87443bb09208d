"""Write tcplab/diagrams/layouts.json.gz: the state-diagram layouts the browser edition ships.

    .venv/bin/python tools/bundle_layouts.py          (after changing the diagrams or a lesson)

What is bundled: the plain diagram of every handshake, TIME-WAIT rule and view; the default
diagram with each single edge a lab can add to it (both in English and in Chinese); and every
layout a lesson of either edition (notebooks/, notebooks/zh/) draws when it runs top to bottom (each notebook is run here, in this
process, with the renderer watched).  Each is laid out by graphviz-pure, as a laptop
would; tests/test_layouts.py checks that the bundle is complete and current.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tcplab.diagrams import layouts, state  # noqa: E402
from tcplab.fsm import TIME_WAIT_SYN_RULES  # noqa: E402
from tcplab.text import LANGUAGES, set_language  # noqa: E402

HANDSHAKES = ("three-way", "two-way")


class Recorder:
    """Stands in for the renderer of the state diagrams and remembers what it laid out."""

    def __init__(self, render):
        self.render = render
        self.seen: dict[str, dict[str, str]] = {}

    def __call__(self, source: str, fmt: str = "svg", **options) -> bytes:
        try:
            out = self.render(source, fmt, **options)
        except RuntimeError as e:
            if fmt == "svg":
                self.seen[layouts.key(source)] = {"error": str(e)}
            raise
        if fmt == "svg":
            self.seen[layouts.key(source)] = {"svg": out.decode("utf-8")}
        return out


def plain_layouts() -> None:
    """Lay out the plain diagram of every variant and view (through the fallbacks)."""
    for handshake in HANDSHAKES:
        for rule in TIME_WAIT_SYN_RULES:
            for view in state.VIEWS:
                state._drawn((handshake, rule), view, frozenset())


def lab_layouts() -> None:
    """The default diagram with each edge outside the classic view, as a lab draws it
    when a student takes that edge (abort, a timer, a retransmission)."""
    from tcplab.fsm import table
    for t in table():
        if not state._in_view(t, "classic"):
            state._drawn(("three-way", "challenge-ack"), "classic", frozenset({t}))


def lessons() -> list[Path]:
    """Every lesson of both editions: the English ones, then the Chinese (notebooks/zh)."""
    return (sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
            + sorted((ROOT / "notebooks" / "zh").glob("[0-9]*.ipynb")))


def picture_layouts() -> None:
    """The plain and the lab's layouts in every language (a legend speaks it), then every
    lesson's."""
    for lang in LANGUAGES:
        set_language(lang)
        plain_layouts()
        lab_layouts()
    set_language("en")
    lesson_layouts(lessons())


def lesson_layouts(notebooks: list[Path]) -> None:
    """Run each lesson's code cells in this process (as its kernel would)."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    here = os.getcwd()
    try:
        for path in notebooks:
            os.chdir(path.parent)
            shell.reset(new_session=True)
            set_language("en")           # as a fresh kernel starts (a Chinese lesson says zh)
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code":
                    with contextlib.redirect_stdout(io.StringIO()):
                        shell.run_cell(cell.source, silent=True)
            print(f"  {path.relative_to(ROOT / 'notebooks')}")
    finally:
        os.chdir(here)
        set_language("en")


def main() -> int:
    recorder = Recorder(state.render)
    state.render = recorder
    state.clear_cache()
    picture_layouts()
    path = layouts.write(recorder.seen)
    print(f"{len(recorder.seen)} layouts, {path.stat().st_size / 1024:.0f} KiB: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
