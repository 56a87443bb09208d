"""make handouts: every lesson of both editions and the cheat sheet print as PDFs whose text
(pdftotext) holds the lesson's title and the segments it shows, with the labs as their
snapshot and the prediction reveals open.  One build (one chromium) for the whole module."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools import handouts  # noqa: E402

#: what a lesson may show of segments and the lecture's notation; each one a lesson's page
#: shows (text, code or an output) must reach its PDF
SEGMENT_WORDS = ("SYN", "FIN", "ACK", "RST", "seq=x", "ack=x+1", "ack=y+1", "SYN-SENT",
                 "TIME-WAIT")
_CJK = re.compile(r"[\u4e00-\u9fff]")
PICTURE_WORDS = re.compile(r'<details class="tcplab-picture-text">.*?</details>', re.S)


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True)
    return done.stdout


def squeezed(text: str) -> str:
    # pdftotext breaks lines where the page does and splits runs of different fonts (a
    # Chinese word in an English title): compare without any white space
    return re.sub(r"\s+", "", text)


def title(nb) -> str:
    first = next(c.source for c in nb.cells if c.cell_type == "markdown")
    line = next(line for line in first.splitlines() if line.startswith("# "))
    return re.sub(r"[*_`]", "", line[2:]).strip()


def shown(nb) -> str:
    """What the lesson's page shows: markdown, code, and the text of every output."""
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:          # the pictures' words are not printed
                shown_html = PICTURE_WORDS.sub(" ", data["text/html"])
                parts.append(html.unescape(re.sub(r"<[^>]+>", " ", shown_html)))
            elif "text/plain" in data:
                parts.append(data["text/plain"])
            parts.append(out.get("text", ""))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: tools/system-deps.sh installs poppler-utils")
    out = tmp_path_factory.mktemp("handouts")
    return out, handouts.build(out, log=lambda line: None)


LESSONS = handouts.lessons()


def test_every_lesson_of_both_editions_and_the_cheat_sheet_is_printed(built):
    out, opened = built
    expected = {handouts.target(nb, out) for nb in LESSONS}
    expected |= {out / "cheat-sheet.pdf", out / "zh" / "cheat-sheet.pdf"}
    assert len(LESSONS) == 28 and set(opened) == expected
    for pdf in expected:
        assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_lessons_pdf_has_its_title_and_its_segments(built, notebook):
    out, opened = built
    nb = nbformat.read(notebook, as_version=4)
    pdf = handouts.target(notebook, out)
    raw = pdf_text(pdf)
    assert not re.search(r"\[\d+\]:", raw)           # the prompts "In [3]:" are hidden
    text = squeezed(raw)
    assert squeezed(title(nb)) in text
    page = shown(nb)
    words = [w for w in SEGMENT_WORDS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", page)]
    if notebook.stem[:2] in {"01", "02", "03", "04", "05", "06", "07"}:
        assert {"SYN", "ACK"} <= set(words)        # the lesson's segments are looked for
    for word in words:
        assert word in text, f"{pdf.name}: {word} is on the lesson's page, not in its PDF"
    if notebook.parent.name == "zh":
        assert len(_CJK.findall(text)) > 300        # the Chinese text, not boxes
    # a prediction's reveal is printed open: the demonstration after it is on paper
    reveals = sum(str(o.get("data", {}).get("text/html", "")).count('class="tcplab-reveal"')
                  for c in nb.cells for o in c.get("outputs", []))
    assert opened[pdf] == reveals
    # the pictures' words for a screen reader are not printed under the pictures
    for phrase in ("the picture as a table", "the picture in words", "以表格列出", "用文字描述"):
        assert phrase not in raw


def test_a_lab_prints_as_its_snapshot(built):
    out, _ = built
    text = pdf_text(out / "01-three-way-handshake.pdf")
    # the snapshot's caption and the states drawn in its diagrams (a dead widget shows none)
    assert "ConnectionLab at t=" in text and "(run the notebook to play with" in text
    assert "SYN-RECEIVED" in text and "LISTEN" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cheat_sheet_is_one_page_with_both_exchanges(built, lang):
    out, _ = built
    pdf = out / ("zh/" if lang == "zh" else "") / "cheat-sheet.pdf"
    text = pdf_text(pdf)
    assert text.count("\f") == 1                   # one A4 page
    for word in ("SYN, seq=x", "FIN", "TIME-WAIT"):
        assert word in text
    if lang == "zh":
        assert "三次握手" in text and "四次挥手" in text
