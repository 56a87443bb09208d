"""The limits of a grading run, from ``course/nbgrader_config.py`` or the command line.

In ``nbgrader_config.py`` (read with traitlets, as nbgrader reads it)::

    c.TcplabGrade.cell_output_bytes = 100_000      # output kept per cell, in bytes
    c.TcplabGrade.notebook_output_bytes = 1_000_000  # output kept per notebook
    c.TcplabGrade.notebook_timeout = 600           # seconds for a whole notebook
    c.TcplabGrade.jobs = 2                         # notebooks graded side by side

The time limit per cell is nbgrader's own ``c.Execute.timeout`` there.  The command's
options (``--cell-output-bytes`` ...) win over the file.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    cell_output_bytes: int = 100_000
    notebook_output_bytes: int = 1_000_000
    notebook_timeout: float = 600.0
    jobs: int = 2
    cell_timeout: float | None = None         # nbgrader's c.Execute.timeout, for the notes


def _section(course: Path) -> tuple[dict, float | None]:
    """The TcplabGrade section of the course's nbgrader_config.py, and Execute.timeout."""
    path = course / "nbgrader_config.py"
    if not path.exists():
        return {}, None
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader(path.name, path=str(course)).load_config()
    section = dict(config.TcplabGrade) if "TcplabGrade" in config else {}
    timeout = config.Execute.timeout if "timeout" in config.Execute else None
    return section, timeout


def load(course: Path, **overrides) -> Limits:
    """The limits for a run in ``course``: the defaults, the config file, then the
    command's options (``None`` = not given)."""
    section, cell_timeout = _section(course)
    known = {f.name for f in fields(Limits)}
    unknown = set(section) - known
    if unknown:
        raise ValueError(f"nbgrader_config.py sets unknown TcplabGrade options: "
                         f"{', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})")
    limits = replace(Limits(), **section, cell_timeout=cell_timeout)
    given = {k: v for k, v in overrides.items() if v is not None}
    limits = replace(limits, **given)
    for name in ("cell_output_bytes", "notebook_output_bytes", "notebook_timeout", "jobs"):
        if not getattr(limits, name) > 0:
            raise ValueError(f"{name} must be a positive number, not {getattr(limits, name)!r}")
    return limits
