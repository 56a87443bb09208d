"""Reading notebook cells as plain JSON (what nbformat writes, version 4).

The grading command works on the notebook's JSON itself: a student's file may be
half-broken, and these helpers must not be stricter than the repairs they serve.
"""

from __future__ import annotations

import copy
import uuid


def text(cell: dict) -> str:
    """The cell's source as one string (the file may hold a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def meta(cell: dict) -> dict:
    """The cell's nbgrader metadata, or {} for an ordinary cell."""
    found = (cell.get("metadata") or {}).get("nbgrader")
    return found if isinstance(found, dict) else {}


def grade_id(cell: dict) -> str | None:
    """The nbgrader id of a graded, answer or read-only cell, else None."""
    m = meta(cell)
    if m.get("grade") or m.get("solution") or m.get("locked") or m.get("task"):
        return m.get("grade_id")
    return None


def is_locked(cell: dict) -> bool:
    """A read-only or test cell: nbgrader puts its release version back when grading."""
    m = meta(cell)
    return bool(m.get("locked")) and not m.get("solution")


def by_id(nb: dict) -> dict[str, dict]:
    """The nbgrader cells of a notebook by their id (the first one of each id)."""
    found: dict[str, dict] = {}
    for cell in nb.get("cells", []):
        gid = grade_id(cell)
        if gid is not None:
            found.setdefault(gid, cell)
    return found


def as_type(cell: dict, cell_type: str) -> dict:
    """A copy of ``cell`` as a cell of ``cell_type``, with the fields that type needs."""
    new = copy.deepcopy(cell)
    new["cell_type"] = cell_type
    if cell_type == "code":
        new.setdefault("outputs", [])
        new.setdefault("execution_count", None)
    else:
        new.pop("outputs", None)
        new.pop("execution_count", None)
    return new


def fresh_id() -> str:
    """A new cell id (nbformat 4.5: unique in the notebook, 1-64 characters)."""
    return uuid.uuid4().hex[:8]
