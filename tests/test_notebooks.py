"""The committed notebooks: complete, executed, readable without a kernel."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_the_workbook_has_its_lessons():
    names = [p.stem for p in NOTEBOOKS]
    for lesson in ("00-start-here", "01-three-way-handshake", "02-four-way-close",
                   "03-why-three-way", "04-time-wait-2msl", "05-state-machine",
                   "06-open-and-reset", "07-close-and-retransmit", "08-real-tcp",
                   "09-proving-it", "10-wireshark", "11-production", "12-cheat-sheet",
                   "13-self-test"):
        assert lesson in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_executed_and_without_widget_state(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c.get("execution_count") for c in code), \
        "every code cell is executed (nbval checks only executed cells)"
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "executed top to bottom in one run"
    # widget state would make GitHub/nbconvert draw an empty widget instead of the
    # lab's static snapshot: tools/run_notebooks.py leaves it out
    assert "widgets" not in nb["metadata"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_links_between_notebooks_point_to_notebooks_that_exist(path):
    import re
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#]+\.ipynb)", "".join(cell["source"])):
            assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


# --------------------------------------------------------------------------- the lessons as a course
#
# Every lesson opens with its learning objectives and an honest time estimate and ends with
# a link to the next one; 00-start-here lists every lesson with its time.  The conventions
# the tests read:
#   * the first cell says "Learning objectives" and has a bulleted list, and
#     "about N minutes" (N as in MINUTES below; "optional" for the optional lessons);
#   * the last markdown cell links to the next notebook (00 → 01 → … → 12 → 13 → 00);
#   * a link to an anchor in the same notebook ("](#name)") finds an <a id="name"> or a
#     heading of that name.

#: minutes per lesson, in reading order (the course's numbers; 00 lists them)
MINUTES = {"00-start-here": 10, "01-three-way-handshake": 30, "02-four-way-close": 30,
           "03-why-three-way": 30, "04-time-wait-2msl": 35, "05-state-machine": 30,
           "06-open-and-reset": 25, "07-close-and-retransmit": 25, "08-real-tcp": 25,
           "09-proving-it": 30, "10-wireshark": 20, "11-production": 35,
           "12-cheat-sheet": 10, "13-self-test": 40}
OPTIONAL = {"09-proving-it", "10-wireshark"}

def _markdown(path):
    nb = json.loads(path.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_every_lesson_has_its_time_and_every_structured_name_is_a_lesson():
    assert [p.stem for p in NOTEBOOKS] == list(MINUTES)
    assert OPTIONAL <= set(MINUTES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_opens_with_its_objectives_and_time(path):
    import re
    first = _markdown(path)[0]
    assert re.search(r"(?i)learning objectives", first), "no 'Learning objectives' at the top"
    assert len(re.findall(r"(?m)^\* ", first)) >= 3, "the objectives are a list"
    minutes = [int(m) for m in re.findall(r"(?i)\babout (\d+) min", first)]
    assert MINUTES[path.stem] in minutes, f"the top says about {MINUTES[path.stem]} minutes"
    if path.stem in OPTIONAL:
        assert "optional" in first.lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_ends_with_a_link_to_the_next(path):
    order = list(MINUTES)
    following = order[(order.index(path.stem) + 1) % len(order)]
    assert f"]({following}.ipynb)" in _markdown(path)[-1], f"the end links to {following}"


def test_start_here_lists_every_lesson_with_its_time():
    import re
    text = "\n".join(_markdown(ROOT / "notebooks" / "00-start-here.ipynb"))
    rows = {m.group(1): m.group(0) for m in re.finditer(r"(?m)^\| (\d\d) \|.*\|$", text)}
    for stem, minutes in MINUTES.items():
        row = rows[stem[:2]]
        assert row.rstrip(" |").endswith(f"{minutes} min"), row
        if stem != "00-start-here":
            assert f"]({stem}.ipynb)" in row, row
        assert ("optional" in row) == (stem in OPTIONAL), row


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_anchor_links_find_their_anchor(path):
    import re
    text = "\n".join(_markdown(path))
    ids = set(re.findall(r"""<a\s+(?:id|name)=["']([^"']+)["']""", text))
    headings = {h.strip().replace(" ", "-") for h in re.findall(r"(?m)^#+\s+(.*)$", text)}
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in ids or target in headings, f"{path.name}: no anchor #{target}"
