"""The checked copy of a submission, repaired where the student's intent is clear.

JupyterLab's copy, paste and split keep a cell's nbgrader id, and nbgrader then refuses
the whole notebook ("Cell with id ... exists multiple times!"); a cell turned into
markdown or deleted costs its points without a word.  Each repair here is one of those,
undone the way the student meant it, and every repair is said in a note.  The release
version of the assignment (what the student was given) is the reference: it holds each
nbgrader cell as handed out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .cells import as_type, by_id, fresh_id, grade_id, is_locked, meta, text
from .outputs import cap_outputs


@dataclass
class Repaired:
    """The notebook to grade, what was done to it, and the read-only cells the student
    changed (nbgrader grades their release version; a lecturer may want to look)."""
    nb: dict
    notes: list[str] = field(default_factory=list)
    edited_locked: set[str] = field(default_factory=set)


def _kind(cell: dict) -> str:
    m = meta(cell)
    if m.get("grade") and not m.get("solution"):
        points = m.get("points", 0)
        return f"test cell {m.get('grade_id')} ({points:g} point{'' if points == 1 else 's'})"
    if m.get("solution"):
        return f"answer cell {m.get('grade_id')}"
    return f"read-only cell {m.get('grade_id')}"


def _same(a: str, b: str) -> bool:
    return a.strip() == b.strip()


def _answers(copies: list[dict], released: str) -> list[dict]:
    """The copies of an answer cell that hold something other than the release text."""
    return [c for c in copies if text(c).strip() and not _same(text(c), released)]


def _merge_answer(copies: list[dict], released: dict, notes: list[str]) -> dict:
    """One answer cell from its copies: the one that holds the answer, or all of them
    joined in their order when the student split (or copied and edited) the cell."""
    name, n = _kind(released), len(copies)
    answers = _answers(copies, text(released))
    if not answers:
        notes.append(f"the {name} was there {n} times (copied or split in JupyterLab), "
                     f"none answered: one kept")
        return copies[0]
    distinct = list(dict.fromkeys(text(c) for c in answers))
    if len(distinct) == 1:
        notes.append(f"the {name} was there {n} times (copied or split in JupyterLab): "
                     f"the copy holding the answer was kept, the others removed")
        return answers[0]
    keeper = copy.deepcopy(answers[0])
    keeper["source"] = "\n".join(t.rstrip("\n") for t in distinct)
    notes.append(f"the {name} was split or copied into {n} cells holding different code: "
                 f"they were joined into one, in their order")
    return keeper


def _deduplicate(cells: list[dict], release: dict[str, dict], notes: list[str]) -> list[dict]:
    """Each nbgrader cell once, where its first copy stood."""
    groups: dict[str, list[dict]] = {}
    for cell in cells:
        gid = grade_id(cell)
        if gid in release:
            groups.setdefault(gid, []).append(cell)
    result, done = [], set()
    for cell in cells:
        gid = grade_id(cell)
        if gid not in release or len(groups[gid]) == 1:
            result.append(cell)
        elif gid not in done:
            done.add(gid)
            copies = groups[gid]
            if is_locked(release[gid]):
                notes.append(f"the {_kind(release[gid])} was there {len(copies)} times: "
                             f"one kept")
                result.append(copies[0])
            else:
                result.append(_merge_answer(copies, release[gid], notes))
    return result


def _retype(cells: list[dict], release: dict[str, dict], notes: list[str]) -> list[dict]:
    """A graded cell back to its released type (a student's click turned it to markdown)."""
    result = []
    for cell in cells:
        want = release.get(grade_id(cell), {}).get("cell_type")
        if want and cell.get("cell_type") != want:
            notes.append(f"the {_kind(release[grade_id(cell)])} had been made a "
                         f"{cell.get('cell_type')} cell: it was made a {want} cell again")
            cell = as_type(cell, want)
        result.append(cell)
    return result


def _restore(cells: list[dict], release_nb: dict, notes: list[str],
             with_ids: bool = True) -> list[dict]:
    """A deleted nbgrader cell put back from the release, after the cell before it (with
    a cell id only if the notebook's format has them: nbformat 4.5 and later)."""
    present = {grade_id(c) for c in cells}
    ids = {c.get("id") for c in cells}
    result, anchor = list(cells), -1
    for cell in release_nb.get("cells", []):
        gid = grade_id(cell)
        if gid is None:
            continue
        if gid in present:
            anchor = next(i for i, c in enumerate(result) if grade_id(c) == gid)
            continue
        back = copy.deepcopy(cell)
        if not with_ids:
            back.pop("id", None)
        elif back.get("id") in ids or "id" not in back:
            back["id"] = fresh_id()
        what = ""
        if meta(cell).get("solution"):
            # empty, not the release's "... / raise NotImplementedError()": that would
            # undo an answer the student wrote in a cell of their own
            back["source"] = "# (this answer cell had been deleted: put back empty)"
            what = " empty (the tests use what the student's other cells define)"
        anchor += 1
        result.insert(anchor, back)
        notes.append(f"the {_kind(cell)} had been deleted: it was put back"
                     f"{what or ' from the release'}")
    return result


def edited_locked(nb: dict, release: dict[str, dict]) -> set[str]:
    """The read-only and test cells whose text the student changed."""
    return {grade_id(c) for c in nb.get("cells", [])
            if grade_id(c) in release and is_locked(release[grade_id(c)])
            and not _same(text(c), text(release[grade_id(c)]))}


def repair(student_nb: dict, release_nb: dict, cell_bytes: int,
           notebook_bytes: int) -> Repaired:
    """The checked copy of ``student_nb`` and a note for every repair made to it."""
    nb = copy.deepcopy(student_nb)
    release = by_id(release_nb)
    notes: list[str] = []
    changed = edited_locked(nb, release)
    cells = _deduplicate(list(nb.get("cells", [])), release, notes)
    cells = _retype(cells, release, notes)
    with_ids = (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5)
    nb["cells"] = _restore(cells, release_nb, notes, with_ids)
    for gid in sorted(changed):
        notes.append(f"the student changed the {_kind(release[gid])}: it was graded as "
                     f"released (look at the submission if this was an attempt to pass a "
                     f"test)")
    notes += cap_outputs(nb, cell_bytes, notebook_bytes)
    return Repaired(nb, notes, changed)
