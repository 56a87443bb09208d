"""The browser edition's pictures: the bundled layouts and the renderer's choice there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tcplab.diagrams import layouts, render, state, state_diagram, wasm
from tcplab.diagrams.a11y import label_svg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import bundle_layouts  # noqa: E402


@pytest.fixture
def recorder(monkeypatch):
    """The state diagrams drawn by graphviz-pure, every layout remembered."""
    rec = bundle_layouts.Recorder(render.render)
    monkeypatch.setattr(state, "render", rec)
    state.clear_cache()
    yield rec
    state.clear_cache()


@pytest.fixture
def in_browser(monkeypatch):
    """tcplab as under Pyodide: no programs can be run, viz.js stands in for Graphviz."""
    monkeypatch.setattr(wasm, "IN_BROWSER", True)

    def no_programs(*args, **kwargs):
        raise AssertionError("a program was run in the browser edition")
    monkeypatch.setattr(subprocess, "run", no_programs)
    drawn = []

    def fake_viz(dot):
        drawn.append(dot)
        return b"<svg>laid out by viz.js</svg>"
    monkeypatch.setattr(wasm, "render_svg", fake_viz)
    state.clear_cache()
    yield drawn
    state.clear_cache()


def test_plain_diagrams_are_bundled_as_graphviz_pure_draws_them(recorder):
    bundle_layouts.plain_layouts()
    assert len(recorder.seen) >= 12               # 2 handshakes x 3 rules x 2 views
    for k, entry in recorder.seen.items():
        assert layouts.entries()[k] == entry


@pytest.mark.slow      # lays out ~45 diagrams and runs every lesson: about 10 s
def test_the_bundle_is_complete_and_current(recorder, tmp_path):
    bundle_layouts.picture_layouts()        # both editions' lessons, both languages
    fresh = layouts.write(recorder.seen, tmp_path / "layouts.json.gz")
    assert fresh.read_bytes() == layouts.BUNDLE.read_bytes(), \
        "the bundled layouts are stale: run python tools/bundle_layouts.py"


def test_in_the_browser_bundled_pictures_need_no_program(in_browser):
    picture = state_diagram()
    svg = picture.svg()
    plain = state._plain_svg(state._dot_for(("three-way", "challenge-ack"), "classic",
                                            frozenset(), "as drawn"))
    # the bundled layout, with the picture's title and description added
    assert svg == label_svg(plain, picture.reading(), "state-diagram")
    assert "ESTABLISHED" in svg and in_browser == []
    assert render.renderer() == render.IN_BROWSER_RENDERER


def test_in_the_browser_other_pictures_come_from_viz(in_browser):
    dot = "digraph { CLOSED -> LISTEN }"
    assert layouts.lookup(dot) is None
    assert render.render(dot) == b"<svg>laid out by viz.js</svg>"
    assert in_browser == [dot]


def test_in_the_browser_a_bundled_routing_failure_is_a_failure(in_browser):
    failed = next(k for k, e in layouts.entries().items() if "error" in e)
    assert failed
    # the fallbacks of the two-way table's classic view with the rfc793 rule are bundled
    d = state_diagram(handshake="two-way", time_wait_syn="rfc793")
    assert d.svg().startswith("<svg") and in_browser == []


def test_in_the_browser_png_is_refused_in_words(in_browser):
    with pytest.raises(render.RendererNotFound, match="SVG only"):
        render.render("digraph { a }", "png")


@pytest.mark.parametrize("href, root", [
    ("http://127.0.0.1:8000/extensions/@jupyterlite/pyodide-kernel-extension/static/"
     "worker.js", "http://127.0.0.1:8000/"),
    ("https://uni.example/tcp/lab/index.html?path=01.ipynb", "https://uni.example/tcp/"),
    ("https://uni.example/course/tcplab/build/worker.js#x", "https://uni.example/course/tcplab/"),
    ("https://uni.example/page.html", "https://uni.example/"),
])
def test_the_site_root_is_found_from_where_the_kernel_runs(href, root):
    assert wasm.site_root(href) == root


def test_native_rendering_ignores_the_bundle(monkeypatch):
    # on a laptop the program lays out every picture: the bundle is never consulted
    monkeypatch.setattr(layouts, "lookup", lambda dot: pytest.fail("bundle consulted"))
    assert render.render("digraph { a }").startswith(b"<?xml")
