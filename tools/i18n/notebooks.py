"""The Chinese notebooks: English notebook + i18n/zh/<stem>.po -> notebooks/zh/<stem>.ipynb.

The English notebooks are the source.  Each markdown cell is cut into its paragraphs
(blocks between blank lines; a fenced code block stays whole), and each paragraph is a
message of the notebook's catalogue: msgctxt = the cell's id, msgid = the paragraph.
The Chinese notebook is the English one with every paragraph replaced by its
translation, and one code cell put before the first code cell that makes the library
speak Chinese.  Code cells are copied as they are (same source, same id).
A link to another lesson points to its Chinese edition when there is one, else to the
English notebook (``../``).
"""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .catalog import FIXED_DATE

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "notebooks"
CHINESE = ENGLISH / "zh"
CATALOGUES = ROOT / "i18n" / "zh"
LANGUAGE_CELL = {
    "cell_type": "code", "id": "set-language-zh", "metadata": {}, "execution_count": None,
    "outputs": [],
    "source": '# 从这里起，tcplab 的消息（错误提示、状态说明……）也用中文\n'
              'import tcplab\ntcplab.set_language("zh")',
}
HEADER = ("# 一课笔记本的中文译文 (the Chinese of one lesson notebook).\n"
          "# msgctxt: the cell id; msgid: one paragraph of the English notebook.\n"
          "# Made by `python -m tools.i18n notebooks`; translate the msgstr lines only.\n#")
_LESSON_LINK = re.compile(r"\]\((\d\d-[\w-]+\.ipynb)([#)])")


def paragraphs(markdown: str) -> list[str]:
    """The blocks of a markdown cell between blank lines (a ``` fence kept whole)."""
    blocks, current, fenced = [], [], False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    s = cell["source"]
    return s if isinstance(s, str) else "".join(s)


def template(english: dict) -> Catalog:
    """The messages of an English notebook, in reading order."""
    pot = Catalog(locale="zh", domain="notebook", project="tcplab notebooks",
                  creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False,
                  header_comment=HEADER, language_team="tcplab 中文版",
                  last_translator="tcplab 中文版")
    for cell in english["cells"]:
        if cell["cell_type"] == "markdown":
            for block in paragraphs(source(cell)):
                pot.add(block, context=cell["id"])
    return pot


def po_path(stem: str) -> Path:
    return CATALOGUES / f"{stem}.po"


def read_catalogue(stem: str) -> Catalog:
    with po_path(stem).open("rb") as f:
        return read_po(f, locale="zh")


def updated(stem: str) -> Catalog:
    """The notebook's catalogue brought up to date with the English notebook: a new or
    changed paragraph is untranslated (or fuzzy, with the old translation as a start),
    a vanished one obsolete."""
    english = read_notebook(ENGLISH / f"{stem}.ipynb")
    return follow(read_catalogue(stem), english) if po_path(stem).exists() else template(english)


def follow(po: Catalog, english: dict) -> Catalog:
    """``po`` brought up to date with the English notebook ``english`` (in place)."""
    po.update(template(english), update_creation_date=False)
    return po


def po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=90, include_previous=True)
    return buf.getvalue()


def missing(catalog: Catalog) -> list[tuple[str, str]]:
    """(cell id, paragraph) of every message without a finished translation."""
    return [(m.context, m.id) for m in catalog if m.id and (not m.string or m.fuzzy)]


def editions() -> set[str]:
    """The file names of the Chinese notebooks there are."""
    return {p.name for p in CHINESE.glob("*.ipynb")}


def _relink(text: str, chinese_names: set[str]) -> str:
    """Links to other lessons point to their Chinese edition, or to the English one."""
    def link(match: re.Match) -> str:
        prefix = "" if match.group(1) in chinese_names else "../"
        return f"]({prefix}{match.group(1)}{match.group(2)}"
    return _LESSON_LINK.sub(link, text)


def translate_markdown(text: str, context: str, catalog: Catalog,
                       chinese_names: set[str]) -> str:
    out = []
    for block in paragraphs(text):
        message = catalog.get(block, context=context)
        done = message is not None and message.string and not message.fuzzy
        out.append(_relink(message.string, chinese_names) if done else block)
    return "\n\n".join(out)


def chinese(english: dict, catalog: Catalog, chinese_names: set[str] | None = None) -> dict:
    """The Chinese notebook: translated markdown, the language cell, the same code cells
    (with the outputs they had, until the notebook is run).  ``chinese_names``: the
    lessons with a Chinese edition (default: those in notebooks/zh/)."""
    names = editions() if chinese_names is None else chinese_names
    nb = copy.deepcopy(english)
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = translate_markdown(source(cell), cell["id"], catalog, names)
        elif not any(c["cell_type"] == "code" for c in cells):
            cells.append(copy.deepcopy(LANGUAGE_CELL))
        cells.append(cell)
    nb["cells"] = cells
    nb["metadata"]["language_info"] = nb["metadata"].get("language_info", {})
    return nb


def code_cells(nb: dict) -> list[tuple[str, str]]:
    return [(c["id"], source(c)) for c in nb["cells"]
            if c["cell_type"] == "code" and c["id"] != LANGUAGE_CELL["id"]]


def write_notebook(nb: dict, path: Path) -> None:
    import nbformat
    nbformat.write(nbformat.from_dict(nb), path)


def stems(requested: list[str]) -> list[str]:
    if requested:
        return [Path(s).stem for s in requested]
    return sorted(p.stem for p in CATALOGUES.glob("*.po"))


def _cells(nb: dict) -> list[tuple[str, str, str]]:
    return [(c["id"], c["cell_type"], source(c)) for c in nb["cells"]]


def main(requested: list[str], run: bool = True, rerun: bool = False) -> None:
    """Update the catalogues; generate and run each Chinese notebook whose catalogue is
    complete and whose cells changed (``rerun``: run them all, e.g. after the library
    changed what a cell prints)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import run_notebooks
    CATALOGUES.mkdir(parents=True, exist_ok=True)
    complete = {}
    for stem in stems(requested):
        catalog = updated(stem)
        po_path(stem).write_bytes(po_bytes(catalog))
        if todo := missing(catalog):
            print(f"{po_path(stem).relative_to(ROOT)}: {len(todo)} paragraphs to translate; "
                  f"notebooks/zh/{stem}.ipynb is made when none is left")
        else:
            complete[stem] = catalog
    names = editions() | {f"{stem}.ipynb" for stem in complete}
    CHINESE.mkdir(exist_ok=True)
    for stem, catalog in complete.items():
        target = CHINESE / f"{stem}.ipynb"
        nb = chinese(read_notebook(ENGLISH / f"{stem}.ipynb"), catalog, names)
        if target.exists() and not rerun and _cells(read_notebook(target)) == _cells(nb):
            print(f"{target.relative_to(ROOT)}: up to date")   # no run: no churn of ids
            continue
        write_notebook(nb, target)
        done = f"run in {run_notebooks.run(target):.1f} s" if run else "not run"
        print(f"{target.relative_to(ROOT)}: generated, {done}")
