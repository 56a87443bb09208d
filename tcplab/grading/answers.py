"""Reading a student's answers, and the hints that fit a mistake.

Answers are read forgivingly: a state may be ``State.TIME_WAIT``,
``"TIME-WAIT"``, ``"time_wait"`` or ``"time wait"``; a list may be a Python
list or a string separated by commas or arrows; a call may be ``"close"``,
``"close()"`` or ``"a.close()"``; control bits ``"SYN+ACK"``, ``"syn, ack"``
or ``Flag.SYN | Flag.ACK``.  Nothing here raises on a wrong type, except
:class:`Unreadable` for a list answer of no readable shape (its message says
what is expected).

The hint helpers build the :class:`~tcplab.grading.framework.Part` of an
answer with the reason that fits the mistake made; :func:`read_lab` reads the
lab a student hands in (``checks.check(key, lab=lab)``).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..fsm import Event, EventKind, State
from ..network import Network
from ..segment import Flag
from ..text import N_, _
from .framework import Feedback, Part, same

__all__ = ["STATE_NAMES", "LECTURE_NAMES", "CALLS", "name_note", "names_note", "Unreadable", "parse_state", "parse_states", "parse_calls",
           "parse_flags", "flags_name", "flags_as_written", "mistake", "seconds_part",
           "state_part", "read_state_part", "read_flags_part", "entered", "sent_by", "lab_network",
           "read_lab"]

#: The 11 states, as the hints list them.
STATE_NAMES = ", ".join(str(s) for s in State)

#: The application calls (connect, listen, send, close, abort).
CALLS = tuple(e for e in Event if e.kind is EventKind.CALL)


# --------------------------------------------------------------------------- states, calls

class Unreadable(Exception):
    """An answer of a shape the exercise cannot read (the message says what it wants)."""


def _key(text: str) -> str:
    text = text.strip().strip("'\"").upper()
    if text.startswith("STATE."):
        text = text[len("STATE."):]
    return re.sub(r"[\s_\-]+", "", text)


#: The states as the lecture's table and Tanenbaum write them (State.lecture_name)
LECTURE_NAMES: dict[State, str] = {s: s.lecture_name for s in State}

_STATES_BY_KEY: dict[str, State] = {_key(s.name): s for s in State}
# the lecture's and Tanenbaum's names (TIMED WAIT, SYN RCVD, ...)
_STATES_BY_KEY.update({_key(name): s for s, name in LECTURE_NAMES.items()})
# the spellings of the BSD and Linux tools (netstat, ss) a student may have seen
_STATES_BY_KEY.update({"SYNRCVD": State.SYN_RECEIVED, "SYNRECV": State.SYN_RECEIVED,
                       "ESTAB": State.ESTABLISHED})
_WHOSE = {"TIMEDWAIT": N_("the lecture's table writes it so, a slip"),
          "SYNRCVD": N_("Tanenbaum's and BSD netstat's short name"),
          "SYNRECV": N_("Linux ss's short name"), "ESTAB": N_("Linux ss's short name")}


def parse_state(answer: Any) -> State | None:
    """The State an answer names, or None if it names none.

    RFC 9293's names in any spelling (``TIME-WAIT``, ``time_wait``, ``State.TIME_WAIT``),
    the lecture's and Tanenbaum's (``TIMED WAIT``, ``SYN RCVD``, ``FIN WAIT 1``) and
    those of netstat and ss (``SYN_RECV``, ``ESTAB``) are all read.
    """
    if isinstance(answer, State):
        return answer
    if isinstance(answer, str):
        return _STATES_BY_KEY.get(_key(answer))
    return None


def name_note(answer: Any) -> str:
    """For an answer that names a state by another name than RFC 9293's, the sentence
    that says which RFC name is meant ("" for RFC names and for non-states)."""
    s = parse_state(answer)
    if s is None or not isinstance(answer, str) or _key(answer) == _key(s.name):
        return ""
    whose = _(_WHOSE.get(_key(answer), N_("the lecture's and Tanenbaum's name")))
    return _("you wrote {answer!r} ({whose}): RFC 9293 and tcplab call this state "
             "{state}.").format(answer=answer.strip(), whose=whose, state=s)


def names_note(answer: Any) -> str:
    """name_note() for a list answer (or one name): one sentence per other name used."""
    try:
        items = _split(answer, "states", "") if not isinstance(answer, State) else []
    except Unreadable:
        return ""
    if len(items) == 1 and isinstance(items[0], str) and parse_state(items[0]) is None:
        items = items[0].split()
    notes = [name_note(item) for item in items]
    return " ".join(dict.fromkeys(n for n in notes if n))


class _StateAnswer:
    """An expected state that compare() matches against any name parse_state reads."""

    def __init__(self, state: State):
        self.state = state

    def __eq__(self, other: Any) -> bool:
        return parse_state(other) is self.state

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return str(self.state)

    __str__ = __repr__


#: what an unreadable list answer is told, by what the list holds
_WRITE_AS_LIST = {"states": N_("Write the states as a list, like {example}, not {answer!r}"),
                  "calls": N_("Write the calls as a list, like {example}, not {answer!r}")}


def _split(answer: Any, what: str, example: str) -> list:
    """The items of a list answer: a list/tuple/set, or a string with separators."""
    if isinstance(answer, str):
        items = [p for p in re.split(r"\s*(?:,|;|→|->|=>|⟶|\n)\s*", answer.strip()) if p]
        return items
    if isinstance(answer, (list, tuple, set, frozenset)):
        return list(answer)
    if isinstance(answer, (State, Event)):
        return [answer]
    raise Unreadable(_(_WRITE_AS_LIST[what]).format(example=example, answer=answer))


def parse_states(answer: Any, example: str = '["CLOSED", "LISTEN"]'
                 ) -> tuple[list[State], list[Any]]:
    """(the states named, the items that name no state), in the order given."""
    items = _split(answer, "states", example)
    if len(items) == 1 and isinstance(items[0], str) and parse_state(items[0]) is None:
        items = items[0].split()            # "LISTEN SYN-RECEIVED": spaces as separators
    states, bad = [], []
    for item in items:
        s = parse_state(item)
        (states if s is not None else bad).append(s if s is not None else item)
    return states, bad


def _call_of(item: Any) -> Event | None:
    if isinstance(item, Event):
        return item if item.kind is EventKind.CALL else None
    if not isinstance(item, str):
        return None
    text = item.strip().strip("'\"").lower()
    text = re.sub(r"\(.*\)$", "", text).strip()           # close() / send(data)
    text = re.sub(r"^[a-z_][a-z0-9_]*\.", "", text)       # a.close / Event.close
    for e in CALLS:
        if text == e.label:
            return e
    return None


def parse_calls(answer: Any, example: str = '["listen()", "connect()"]'
                ) -> tuple[list[Event], list[Any]]:
    """(the application calls named, the items that name no call)."""
    items = _split(answer, "calls", example)
    if len(items) == 1 and isinstance(items[0], str) and _call_of(items[0]) is None:
        items = items[0].split()
    calls, bad = [], []
    for item in items:
        c = _call_of(item)
        (calls if c is not None else bad).append(c if c is not None else item)
    return calls, bad


# --------------------------------------------------------------------------- control bits

_FLAG_NAMES = {"SYN", "ACK", "FIN", "RST", "PSH"}


def parse_flags(answer: Any) -> frozenset[str] | None:
    """The control bits an answer names ({"SYN", "ACK"} for "SYN+ACK"), None if unreadable.

    An empty set means "nothing" ("–", "", "nothing", "none").
    """
    if isinstance(answer, Flag):
        return frozenset(f.name for f in Flag if f in answer and f.name)
    if isinstance(answer, (list, tuple, set, frozenset)):
        parts = [parse_flags(a) for a in answer]
        if any(p is None for p in parts):
            return None
        return frozenset().union(*parts)
    if not isinstance(answer, str):
        return None
    words = [w for w in re.split(r"[\s+,/&|\-_;]+", answer.strip().strip("'\"").upper()) if w]
    words = [w[len("FLAG."):] if w.startswith("FLAG.") else w for w in words]
    if words in ([], ["–"], ["NOTHING"], ["NONE"]):
        return frozenset()
    if words == ["SYNACK"]:
        return frozenset({"SYN", "ACK"})
    if not all(w in _FLAG_NAMES for w in words):
        return None
    return frozenset(words)


def flags_name(flags: frozenset[str]) -> str:
    """Control bits as str(Flag) writes them ("RST+ACK"), or "nothing"."""
    order = ["SYN", "FIN", "RST", "PSH", "ACK"]
    return "+".join(sorted(flags, key=order.index)) if flags else "nothing"


def flags_as_written(value: Any) -> Any:
    """A student's flags as text: Flag.RST → "RST", "rst" → "RST"; anything else as given."""
    if isinstance(value, Flag):
        return str(value)
    if isinstance(value, str):
        return value.strip().upper().replace(" ", "").replace(",", "+").replace("|", "+")
    return value


# --------------------------------------------------------------------------- hints

def mistake(given: Any, usual: str, known: dict[Any, str] | None = None) -> str:
    """The hint for a wrong ``given``: the one that fits a known mistake, else ``usual``."""
    for wrong, why in (known or {}).items():
        if given is not None and same(given, wrong):
            return why
    return usual


def seconds_part(name: str, expected: float, given: Any, usual: str,
                 known: dict[float, str] | None = None) -> Part:
    """A part whose answer is a time in seconds (compared to 1 µs)."""
    if given is not None and (isinstance(given, bool) or not isinstance(given, (int, float))):
        kind = _("True or False") if isinstance(given, bool) else (
            _("text") if isinstance(given, str) else _("a {type}").format(
                type=type(given).__name__))
        why = _("Give the time as a number of seconds, like {name}=1.5, not {kind}.").format(name=name, kind=kind)
    else:
        why = mistake(given, usual, known)
    return Part(name, round(float(expected), 6), why)


def state_part(name: str, expected: State, given: Any, usual: str,
               known: dict[State, str] | None = None) -> Part:
    """A part whose answer is a state: a name such as "SYN-RECEIVED" or a State."""
    if given is not None and not isinstance(given, (str, State)):
        why = (_("Give a state's name in quotes, like {name}='LISTEN', or a State, like "
               "{name}=State.LISTEN.").format(name=name))
    elif isinstance(given, str) and parse_state(given) is None:
        why = _("{given!r} is not the name of a state; the 11 states are {state_names}.").format(
                given=given, state_names=STATE_NAMES)
    else:
        note = name_note(given)
        why = mistake(parse_state(given) if note else given, usual, known)
    note = name_note(given)
    if not note:
        return Part(name, expected, why)
    return Part(name, _StateAnswer(expected), f"{note} {why}", note)


def read_state_part(name: str, expected: State, given: Any, usual: str,
                    known: dict[State, str] | None = None) -> tuple[Any, Part]:
    """(the answer as compare() should see it, the Part): state names read forgivingly."""
    s = parse_state(given)
    if given is None:
        return None, Part(name, str(expected))
    if s is None:
        if isinstance(given, str):
            why = _("{given!r} is not the name of a state; the 11 states are {state_names}.").format(
                given=given, state_names=STATE_NAMES)
        else:
            why = (_("Give a state's name in quotes, like {name}='LISTEN', or a State, like "
                   "{name}=State.LISTEN.").format(name=name))
        return given, Part(name, str(expected), why)
    why = (known or {}).get(s, usual)
    note = name_note(given)
    return str(s), Part(name, str(expected), f"{note} {why}" if note else why, note)


def read_flags_part(name: str, expected: str, given: Any, usual: str,
                    known: dict[str, str] | None = None, accept: tuple[str, ...] = ()
                    ) -> tuple[Any, Part]:
    """(the answer as compare() should see it, the Part): control bits read forgivingly.

    ``expected`` and the keys of ``known`` are written as ``str(Flag)`` does
    ("RST+ACK") or "nothing"; ``accept`` lists other answers that are also right.
    """
    if given is None:
        return None, Part(name, expected)
    f = parse_flags(given)
    if f is None:
        return given, Part(name, expected, (
            _("Name the control bits, like {name}='SYN+ACK', {name}='RST' or "
            "{name}=Flag.RST | Flag.ACK (or {name}='nothing').").format(name=name)))
    text = flags_name(f)
    if text in accept:
        return text, Part(name, text)
    return text, Part(name, expected, (known or {}).get(text, usual))


# --------------------------------------------------------------------------- runs and labs

def entered(net: Network, host: str, state: State, after: float = -1.0) -> float:
    """When ``host`` first entered ``state`` (the trace says; an error if it never did)."""
    t = net.trace.entered(host, state, after)
    if t is None:
        raise LookupError(_("{host} never entered {state}").format(host=host, state=state))
    return t


def sent_by(net: Network, src: str, flags: Flag, after: float = -1.0) -> list:
    """The segments ``src`` emitted that carry all of ``flags``, from time ``after`` on."""
    return [s for t, s in net.sent if s.src == src and s.has(flags) and t >= after]


def lab_network(lab: Any) -> Network | None:
    """The network of a ConnectionLab (or a Network given directly); None otherwise."""
    net = lab if isinstance(lab, Network) else getattr(lab, "net", None)
    return net if isinstance(getattr(net, "hosts", None), dict) else None


def _a_and_b(hosts: dict) -> bool:
    return "A" in hosts and "B" in hosts


#: a lab that is not this page's, in whole sentences for each page
_NOT_THE_LAB = {"notebook": N_("lab should be the ConnectionLab of this notebook (lab=lab), "
                               "not {kind}"),
                "lesson": N_("lab should be the ConnectionLab of this lesson (lab=lab), "
                             "not {kind}")}
_WITH_HOSTS = {"notebook": N_("lab should be the ConnectionLab of this notebook (lab=lab), "
                              "with hosts A and B"),
               "lesson": N_("lab should be the ConnectionLab of this lesson (lab=lab), "
                            "with hosts A and B")}


def read_lab(key: str, lab: Any, other: dict | None = None, *, page: str = "notebook",
             hosts_ok: Callable[[dict], bool] = _a_and_b) -> Network | Feedback:
    """The network of the lab a student handed in, or the Feedback saying what is wrong.

    ``other``: the parts named besides ``lab`` (the exercise has none);
    ``page``: what the feedback calls the page of the lab, "notebook" or
    "lesson"; ``hosts_ok``: what the lab's hosts must be (A and B by default).
    A lab whose hosts fail it is "not the ConnectionLab" on a "lesson" page
    and is asked "with hosts A and B" on a "notebook" page: each lesson keeps
    the words its students have always seen.
    """
    if other:
        return Feedback(False, [_("this exercise has no part called {parts}: "
                                  "answer with checks.check('{key}', lab=lab)").format(
                                      parts=", ".join(sorted(other)), key=key)])
    if lab is None:
        return Feedback(False, [_("lab: no answer yet — play with the lab, then write "
                                "checks.check('{key}', lab=lab)").format(key=key)])
    net = lab_network(lab)
    if net is None or (page == "lesson" and not hosts_ok(net.hosts)):
        return Feedback(False, [_(_NOT_THE_LAB[page]).format(kind=type(lab).__name__)])
    if not hosts_ok(net.hosts):
        return Feedback(False, [_(_WITH_HOSTS[page])])
    return net
