"""nbgrader's log, without the noise that hides what a lecturer must see.

* nbgrader warns "Attribute 'checksum' for cell … has changed!" for every test cell of
  every submission, though nothing changed: the gradebook's checksum is taken from the
  source notebook *before* the hidden tests are removed from the release (upstream
  nbgrader issue 1961, https://github.com/jupyter/nbgrader/issues/1961).  The warning is
  kept only for the cells the student really changed (:func:`tcplab.grade.repair.
  edited_locked` compares each with its release version), so a real one stands out.
* SQLAlchemy's "not in session" warnings (nbgrader's use of the ORM) and the kernel's
  "running over TCP without encryption" say nothing about a submission: silenced.
"""

from __future__ import annotations

import re
import warnings

_CHECKSUM = re.compile(r"Attribute 'checksum' for cell (?P<cell>\S+) has changed!")
_NOISE = ("SAWarning", "for notebook in submission", "return [x for x in self._base_cells",
          "Kernel is running over TCP without encryption",
          "This warning originated from the Session")


def silence_sqlalchemy() -> None:
    """No SQLAlchemy warnings from nbgrader's gradebook in this process."""
    try:
        from sqlalchemy.exc import SAWarning
    except ImportError:                  # pragma: no cover - nbgrader brings SQLAlchemy
        return
    warnings.filterwarnings("ignore", category=SAWarning)


def keep(line: str, edited: set[str]) -> bool:
    """Whether a line of nbgrader's log is worth a lecturer's attention."""
    found = _CHECKSUM.search(line)
    if found:
        return found.group("cell") in edited
    return not any(piece in line for piece in _NOISE)


def clean(text: str, edited: set[str]) -> str:
    """``text`` (nbgrader's log) without the false checksum warnings and the noise."""
    return "\n".join(line for line in text.splitlines() if keep(line, edited))


def real_checksum_warnings(text: str) -> list[str]:
    """The checksum warnings left in a cleaned log: a cell the student really changed."""
    return [line for line in text.splitlines() if _CHECKSUM.search(line)]
