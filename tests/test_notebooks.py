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
                   "06-corner-cases", "07-real-tcp", "08-proving-it", "09-wireshark"):
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
