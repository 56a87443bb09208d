"""The Chinese edition (notebooks/zh/) is the English notebooks plus their catalogues (i18n/zh/).

For every notebook that has a Chinese edition: no English paragraph lacks its translation
(an English cell changed and its translation was not updated), the code cells are the
English ones, the Chinese notebook is what the catalogue makes of the English one, and it
keeps the lesson's frame (objectives, time, the link to the next lesson).
Fix a failure with ``python -m tools.i18n notebooks`` and the translators' .po
(i18n/README.md).
"""

import json
import re
import sys
from pathlib import Path

import pytest

import test_notebooks as english_frame
from test_notebooks import MINUTES, OPTIONAL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.i18n import notebooks as i18n  # noqa: E402

#: the lessons that have a Chinese edition so far (issue 14 adds the rest)
TRANSLATED = ("00-start-here", "01-three-way-handshake", "02-four-way-close", "03-why-three-way",
              "04-time-wait-2msl", "05-state-machine", "06-open-and-reset",
              "07-close-and-retransmit", "08-real-tcp", "09-proving-it",
              "10-wireshark", "11-production", "12-cheat-sheet", "13-self-test")
CHINESE = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_chinese_edition_is_the_list_of_translated_lessons():
    assert [p.stem for p in CHINESE] == sorted(TRANSLATED)
    assert set(TRANSLATED) <= set(MINUTES)


def test_a_message_is_a_paragraph_and_a_fenced_block_stays_whole():
    text = "# Title\n\nline one\nline two\n\n```\ncode\n\nmore code\n```\n\n* a\n* b\n"
    assert i18n.paragraphs(text) == ["# Title", "line one\nline two",
                                     "```\ncode\n\nmore code\n```", "* a\n* b"]


def test_a_changed_paragraph_waits_for_its_translator_and_a_removed_one_is_obsolete():
    path = ROOT / "notebooks" / "zh" / "01-three-way-handshake.ipynb"
    nb = english(path)
    cells = {c["id"]: c for c in nb["cells"]}
    cells["ca4344c4"]["source"] = "## 2. The three segments, one by one"      # changed
    nb["cells"].remove(cells["5ae637b4"])                                     # removed
    po = i18n.follow(catalogue(path), nb)
    changed = po.get("## 2. The three segments, one by one", context="ca4344c4")
    assert changed.fuzzy and changed.string == "## 2. 三个报文段"   # a guess, not a translation
    assert ("ca4344c4", "## 2. The three segments, one by one") in i18n.missing(po)
    assert ("## 3. The states each host passes", "5ae637b4") in po.obsolete
    # and the Chinese notebook made from it keeps the English until someone translates
    zh = i18n.chinese(nb, po, set())
    assert "## 2. The three segments, one by one" in [i18n.source(c) for c in zh["cells"]
                                                       if c["id"] == "ca4344c4"][0]


def english(path):
    return i18n.read_notebook(ROOT / "notebooks" / path.name)


def catalogue(path):
    assert i18n.po_path(path.stem).exists(), f"no catalogue i18n/zh/{path.stem}.po"
    return i18n.read_catalogue(path.stem)


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.stem)
def test_every_english_paragraph_has_its_translation(path):
    po = catalogue(path)
    stale = []
    for message in i18n.template(english(path)):
        if not message.id:
            continue
        found = po.get(message.id, context=message.context)
        if found is None or not found.string or found.fuzzy:
            stale.append((message.context, message.id[:60]))
    assert not stale, ("English paragraphs without a (finished) translation: run "
                       f"python -m tools.i18n notebooks, translate i18n/zh/{path.stem}.po: "
                       f"{stale}")
    assert not i18n.missing(po), f"untranslated messages: {i18n.missing(po)}"


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.stem)
def test_the_code_cells_are_the_english_ones_after_one_language_cell(path):
    zh = i18n.read_notebook(path)
    assert i18n.code_cells(zh) == i18n.code_cells(english(path))
    code = [c for c in zh["cells"] if c["cell_type"] == "code"]
    assert code[0]["id"] == i18n.LANGUAGE_CELL["id"]
    assert i18n.source(code[0]) == i18n.LANGUAGE_CELL["source"]
    assert 'tcplab.set_language("zh")' in i18n.source(code[0])
    assert sum(c["id"] == i18n.LANGUAGE_CELL["id"] for c in zh["cells"]) == 1


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.stem)
def test_the_chinese_notebook_is_what_its_catalogue_makes(path):
    expected = i18n.chinese(english(path), catalogue(path))
    zh = i18n.read_notebook(path)
    assert [c["id"] for c in zh["cells"]] == [c["id"] for c in expected["cells"]]
    for have, want in zip(zh["cells"], expected["cells"]):
        if have["cell_type"] == "markdown":
            assert i18n.source(have) == i18n.source(want), \
                f"cell {have['id']} is stale: run python -m tools.i18n notebooks"


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.stem)
def test_a_translation_keeps_the_links_of_its_paragraph(path):
    wrong = [(m.context, m.id[:50]) for m in catalogue(path) if m.id and m.string and
             sorted(LINK.findall(m.id)) != sorted(LINK.findall(m.string))]
    assert not wrong, wrong


# ----------------------------------------------------------- the lesson's frame, in Chinese

@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.stem)
def test_the_chinese_notebook_is_executed_and_its_links_and_anchors_hold(path):
    english_frame.test_notebook_is_committed_executed_and_without_widget_state(path)
    english_frame.test_links_between_notebooks_point_to_notebooks_that_exist(path)
    english_frame.test_anchor_links_find_their_anchor(path)


def markdown(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.stem)
def test_a_chinese_lesson_opens_with_its_objectives_and_time(path):
    first = markdown(path)[0]
    assert "学习目标" in first
    assert len(re.findall(r"(?m)^\* ", first)) >= 3, "the objectives are a list"
    assert f"约 {MINUTES[path.stem]} 分钟" in first
    if path.stem in OPTIONAL:
        assert "选学" in first


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.stem)
def test_a_chinese_lesson_ends_with_a_link_to_the_next_in_chinese_if_there_is_one(path):
    order = list(MINUTES)
    following = order[(order.index(path.stem) + 1) % len(order)] + ".ipynb"
    target = following if (path.parent / following).exists() else f"../{following}"
    assert f"]({target})" in markdown(path)[-1], f"the end links to {target}"
