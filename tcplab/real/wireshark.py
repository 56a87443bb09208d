"""Wireshark's own reading of a capture file: tshark, live where it runs, else its recording.

Lesson 10 computes Wireshark's packet list and flow graph with tcplab
(:mod:`tcplab.pcap`), and shows next to them what Wireshark itself prints, through
tshark, its command-line twin: :func:`tshark`.  Where tshark cannot run (the
browser edition, a server without it: :func:`~.where.tshark_mode`), the output
is the one ``python tools/record_real.py`` recorded for the same file (found by
the file's SHA-256: the lesson's files are the same bytes everywhere), labelled
as a replay; a file that was never recorded (a student's own) is not invented:
the result says to open it in Wireshark.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..text import N_, _
from ..trace import say, words
from . import recording
from .where import tshark_mode

#: tshark's arguments for each view, after ``tshark -n -r FILE`` (-n: no name lookups).
VIEWS = {
    "list": (),                                   # the packet list
    "flow": ("-q", "-z", "flow,tcp,network"),     # Statistics ▸ Flow Graph, TCP flows
}
_TIMEOUT = 30.0


@dataclass(frozen=True)
class Dissection:
    """What tshark printed for one file and view, live or replayed (``replay``: the label)."""

    command: str                # as one would type it: tshark -n -r captures/x.pcap ...
    output: str                 # tshark's text ("" when neither run nor recorded)
    replay: str = ""            # "" when tshark ran here
    tool: str = ""              # tshark's version line
    missing: str = ""           # why there is no output at all

    @property
    def head(self) -> str:
        if self.missing:
            return say(self.missing)
        return say(self.replay) if self.replay else _("Live: {tool} on this machine.").format(
            tool=self.tool)

    def __repr__(self) -> str:
        return "\n".join([self.head, f"$ {self.command}", self.output.rstrip()]).rstrip()

    def _repr_html_(self) -> str:
        return (f"<p><b>{html.escape(self.head)}</b></p><pre>$ {html.escape(self.command)}\n"
                f"{html.escape(self.output.rstrip())}</pre>")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def command(path: str | os.PathLike, view: str) -> list[str]:
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    return ["tshark", "-n", "-r", str(path), *VIEWS[view]]


def version() -> str:
    """tshark's first line of ``--version`` ("TShark (Wireshark) 4.0.17 ...")."""
    done = subprocess.run([shutil.which("tshark") or "tshark", "--version"],
                          capture_output=True, text=True, timeout=_TIMEOUT, check=True)
    return done.stdout.splitlines()[0].split(" (Git")[0]


def run(path: str | os.PathLike, view: str) -> str:
    """tshark's output for one file and view (tshark must be installed)."""
    args = command(path, view)
    args[0] = shutil.which("tshark") or "tshark"
    done = subprocess.run(args, capture_output=True, text=True, timeout=_TIMEOUT, check=True)
    return done.stdout


def tshark(path: str | os.PathLike, view: str = "list") -> Dissection:
    """What tshark prints for the capture file ``path``: ``view`` "list" (the packet list)
    or "flow" (the flow graph).  Live where tshark runs, else the recording, labelled."""
    shown = " ".join(command(path, view))
    how = tshark_mode()
    if how.live:
        return Dissection(shown, run(path, view), tool=version())
    data = Path(path).read_bytes()
    recorded = recording.load(recording.TSHARK)["runs"].get(digest(data), {})
    label = recording.label(how.reason, recording.TSHARK)
    if view not in recorded:
        return Dissection(shown, "", missing=words(N_(
            "tshark cannot run here ({reason}), and this file is not one of the lesson's "
            "recorded files: download it and open it in Wireshark (File ▸ Open)."),
            reason=how.reason))
    return Dissection(shown, recorded[view], replay=label)
