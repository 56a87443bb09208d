"""Outputs cut to a size in bytes, per cell and per notebook.

nbgrader's own ``LimitOutput`` counts lines: a single 50 MB line passes it whole into the
graded notebook and the feedback page.  This cap counts the bytes of each output as
saved (its JSON), keeps what fits, and says where it cut and why.  It serves both the
checked copy of a submission (:mod:`.repair`) and nbgrader's grading run
(:mod:`.preprocessor`, after the notebook is executed), so the feedback is capped too.
"""

from __future__ import annotations

import json

from .cells import grade_id

#: The words put where an output was cut (the notes and the tests look for its start).
MARK = "[tcplab-grade: output cut here"


def size(output: dict) -> int:
    """The bytes an output takes in the saved notebook."""
    return len(json.dumps(output, ensure_ascii=False).encode("utf-8"))


def _notice(output: dict, kept_text: str, total: int, limit: int, scope: str) -> dict:
    """A stream output holding ``kept_text`` and the notice of the cut (same node class)."""
    words = (f"\n{MARK}: this cell's output was {total} bytes, over the limit of "
             f"{limit} bytes per {scope}]\n")
    return output.__class__({"output_type": "stream", "name": "stdout",
                             "text": kept_text + words})


def _head(text: str, budget: int) -> str:
    """The first ``budget`` bytes of ``text`` (whole characters)."""
    return text.encode("utf-8")[:max(budget, 0)].decode("utf-8", errors="ignore")


def cap_cell(cell: dict, budget: int, limit: int, scope: str) -> int | None:
    """Cut the outputs of ``cell`` to ``budget`` bytes; return their size before, if cut."""
    outputs = cell.get("outputs") or []
    total = sum(size(o) for o in outputs)
    if total <= budget:
        return None
    kept, used = [], 0
    for output in outputs:
        n = size(output)
        if used + n <= budget:
            kept.append(output)
            used += n
            continue
        room = budget - used - 200          # the notice's own words and the JSON around
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        text = "".join(text) if isinstance(text, list) else str(text)
        kept.append(_notice(output, _head(text, room), total, limit, scope))
        break
    cell["outputs"] = kept
    return total


def cap_outputs(nb: dict, cell_bytes: int, notebook_bytes: int) -> list[str]:
    """Cut every code cell's outputs to ``cell_bytes``, and all of them to
    ``notebook_bytes``; return one note per cut cell, in a lecturer's words."""
    notes, left = [], notebook_bytes
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        budget, limit, scope = cell_bytes, cell_bytes, "cell"
        if left < cell_bytes:
            budget, limit, scope = max(left, 0), notebook_bytes, "notebook"
        before = cap_cell(cell, budget, limit, scope)
        left -= sum(size(o) for o in cell.get("outputs") or [])
        if before is not None:
            name = grade_id(cell) or f"cell {number}"
            notes.append(f"the output of {name} ({before:,} bytes) was cut to the limit of "
                         f"{limit:,} bytes per {scope}")
    return notes
