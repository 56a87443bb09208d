"""The class's report: ``grades/<assignment>.csv``, the same table on screen, and the
progress bar while the class is graded.

``status`` is ``graded``, ``repaired`` (the notes say what was changed before grading)
or ``not graded`` (the notes say why and what to do).  While an answer to grade by hand
(explain in words) has no points in Formgrader, it is ``to grade by hand`` (or
``repaired, to grade by hand``) and the score is the autograded part only.  ``score`` is
empty for a student not graded: never a 0 that looks like one earned.
"""

from __future__ import annotations

import csv
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

GRADED, REPAIRED, NOT_GRADED = "graded", "repaired", "not graded"
#: manual points await grading: "to grade by hand", or "repaired, to grade by hand"
HAND = "to grade by hand"
COLUMNS = ("student", "score", "max_score", "status", "notes")


@dataclass
class Row:
    student: str
    status: str
    score: float | None = None
    max_score: float | None = None
    notes: list[str] = field(default_factory=list)

    def cells(self) -> dict[str, str]:
        number = (lambda x: "" if x is None else f"{x:g}")
        return {"student": self.student, "score": number(self.score),
                "max_score": number(self.max_score), "status": self.status,
                "notes": "; ".join(self.notes)}


def by_hand(row: Row, manual: list) -> Row:
    """``row`` marked as not finished while ``manual`` cells (``[grade id, points]``)
    await a grade in Formgrader: its score is then the autograded part only."""
    if not manual:
        return row
    points = sum(p for _, p in manual)
    names = ", ".join(f"{name} ({p:g})" for name, p in manual)
    row.status = HAND if row.status == GRADED else f"{row.status}, {HAND}"
    row.notes.insert(0, f"{points:g} points to grade by hand in Formgrader ({names}); the "
                        f"score is the autograded part, of {row.max_score - points:g} "
                        f"points: run tcplab-grade again once they are graded")
    return row


def write_csv(rows: list[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row.cells())


def table(rows: list[Row]) -> str:
    """The report as text: one line per student, the notes below in full."""
    name = max([len("student"), *(len(r.student) for r in rows)])
    lines = [f"{'student':<{name}}  {'score':>14}  status"]
    for r in rows:
        c = r.cells()
        score = f"{c['score']}/{c['max_score']}" if r.score is not None else "-"
        if r.status.endswith(HAND):
            score += " auto"             # the autograded part: see the notes
        lines.append(f"{r.student:<{name}}  {score:>14}  {r.status}")
        lines += [f"{'':<{name}}    - {note}" for note in r.notes]
    counts = {s: sum(r.status == s for r in rows) for s in (GRADED, REPAIRED, NOT_GRADED)}
    counts[HAND] = sum(r.status.endswith(HAND) for r in rows)
    lines.append(f"{len(rows)} students: " + ", ".join(f"{n} {s}" for s, n in counts.items()
                                                       if n or s != HAND))
    return "\n".join(lines)


class Progress:
    """A text progress bar on stderr (one line per step when stderr is not a terminal)."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.lock = threading.Lock()            # several workers report at once

    def step(self, what: str) -> None:
        with self.lock:
            self._step(what)

    def _step(self, what: str) -> None:
        self.done += 1
        width = max(10, min(30, shutil.get_terminal_size().columns - 40))
        full = width * self.done // max(self.total, 1)
        bar = "#" * full + "." * (width - full)
        line = f"[{bar}] {self.done}/{self.total} {what}"
        if self.live:
            self.stream.write("\r" + line[:shutil.get_terminal_size().columns - 1] + "\033[K")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
