"""Recorded runs of a real Linux kernel, for the places that cannot run one.

The browser edition (Pyodide: no sockets, no /proc, no programs to start) and
restricted servers cannot play lesson 08's stories on a kernel, nor run tshark
for lesson 10.  There the lessons replay what ``python tools/record_real.py``
recorded on a Linux machine: the files in ``tcplab/real/recordings/`` (package
data, JSON).  Each file says, inside it, which kernel (or tshark) made it, when,
and with which command; :func:`label` turns that into the line every replayed
result prints first.

This module only reads and writes the files and the kernel's small records
(:class:`~.kernel.Row`, :class:`~.kernel.Observation`); each story rebuilds its
own results from them (:mod:`.story`, :mod:`.reopen`, :mod:`.abort`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..fsm import State
from ..text import N_
from ..trace import words
from .kernel import Observation, Row

#: The command that makes the recordings (it runs the live code on a Linux machine).
COMMAND = "python tools/record_real.py"

#: The recording of lesson 08's three stories, and the one of lesson 10's tshark runs.
KERNEL, TSHARK = "linux.json", "tshark.json"


@lru_cache(maxsize=None)
def load(name: str = KERNEL) -> dict[str, Any]:
    """One recording, as written by ``tools/record_real.py`` (read once, then shared)."""
    text = resources.files(__package__).joinpath("recordings", name).read_text("utf-8")
    return json.loads(text)


def dumps(data: dict[str, Any]) -> str:
    """The recording's text: sorted keys and one value per line, so a diff reads well."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def made(name: str = KERNEL) -> dict[str, str]:
    """Who made the recording: system, release, date, command (and tshark's version)."""
    return load(name)["recorded"]


def origin(name: str = KERNEL) -> str:
    """``Linux 6.18.44 on 2026-12-04 with `python tools/record_real.py```."""
    m = made(name)
    # the recording's words (system, release, date, command) are data, said as they are
    return words(N_("{system} {release} on {date} with `{command}`"), system=m["system"],
                 release=m["release"], date=m["date"], command=m["command"])


def label(reason: str, name: str = KERNEL) -> str:
    """The first line of every replayed result: what was recorded where, and why it is
    replayed here."""
    tool = made(name).get("tshark")
    what = words(N_("the output of {tool}, recorded"), tool=tool) if tool else words(
        N_("recorded"))
    return words(N_("Replay: {what} on {origin}; {reason}."), what=what, origin=origin(name),
                 reason=reason)


# --------------------------------------------------------------------------- the kernel's records

def state_data(state: State | None) -> str | None:
    """A state as the recordings write it (its name, ``"TIME_WAIT"``), or None."""
    return None if state is None else state.name


def state(name: str | None) -> State | None:
    return None if name is None else State[name]


def row_data(r: Row) -> dict[str, Any]:
    return {"local": r.local, "remote": r.remote, "code": r.code, "state": state_data(r.state),
            "timer": r.timer, "line": r.line}


def row(d: dict[str, Any]) -> Row:
    return Row(d["local"], d["remote"], d["code"], state(d["state"]), d["timer"], d["line"])


def observation_data(o: Observation) -> dict[str, Any]:
    return {"t": round(o.t, 6), "socket": state_data(o.socket), "socket_code": o.socket_code,
            "table": state_data(o.table), "table_code": o.table_code, "timer": o.timer,
            "listener": o.listener, "rows": [row_data(r) for r in o.rows]}


def observation(d: dict[str, Any]) -> Observation:
    return Observation(d["t"], state(d["socket"]), d["socket_code"], state(d["table"]),
                       d["table_code"], d["timer"], d["listener"],
                       tuple(row(r) for r in d["rows"]))
