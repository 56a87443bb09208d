"""Why the kernel and tcplab differ: the notes under the table of a :class:`RealStory`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..fsm import State
from ..text import N_
from ..trace import words
from .kernel import LINUX_TIME_WAIT

if TYPE_CHECKING:
    from .story import RealStory

_NOTE_TEXT = {
    "listener": N_(
        "B's listening socket stays in LISTEN. In the kernel the handshake makes a new "
        "connection that waits, already ESTABLISHED, in the listen queue until accept() "
        "hands it to the program; in RFC 9293 and tcplab, B's one TCB goes LISTEN → "
        "SYN-RECEIVED → ESTABLISHED itself."),
    "accept": N_(
        "accept() is no event of TCP: the handshake is over before it is called, so "
        "tcplab has nothing to do here. accept() only hands the connection, with a new "
        "socket, to B's program."),
    "time-wait-socket": N_(
        "A's socket reports CLOSED through TCP_INFO, while the kernel's table shows A's "
        "connection in TIME-WAIT: when B's FIN arrives, Linux moves the connection out "
        "of the socket into a small 'time-wait' record and marks the socket closed. "
        "Only the table shows TIME-WAIT."),
    "client-close": N_(
        "A's close() changes nothing in TCP: the connection is already in TIME-WAIT, "
        "and close() only gives the socket back. In tcplab (RFC 9293's CLOSE call) "
        "closing in TIME-WAIT is an error, so tcplab does nothing; after close() only "
        "the kernel's table still shows the connection."),
    "no-table": N_(
        "The kernel's table cannot be read on this machine, so A's TIME-WAIT, which no "
        "socket holds, cannot be seen here."),
}


@dataclass(frozen=True)
class Note:
    number: int
    refs: tuple[tuple[int, str], ...]     # (step index, side) it explains
    text: str      # English (a Words: str() says it in the language spoken)


class _Notes:
    """Notes by key: a note met again in another step or side gains a reference."""

    def __init__(self):
        self.by_key: dict[str, tuple[list, str]] = {}

    def add(self, key: str, i: int, side: str, text: str) -> None:
        refs, _ = self.by_key.setdefault(key, ([], text))
        if (i, side) not in refs:
            refs.append((i, side))

    def numbered(self) -> list[Note]:
        """In the order of the first step each note explains."""
        ordered = sorted(self.by_key.items(), key=lambda kv: min(kv[1][0]))
        return [Note(n + 1, tuple(refs), text) for n, (_, (refs, text)) in enumerate(ordered)]


def explain(story: "RealStory") -> list[Note]:
    """A note for every difference between the kernel's states and tcplab's, numbered."""
    notes = _Notes()
    unseen_at: dict[State, list[tuple[int, str]]] = {}
    for st in story.steps:
        for side in "AB":
            _explain_side(notes, story, st, side, unseen_at)
        if st.story.key == "accept":
            notes.add("accept", st.index, "B", words(_NOTE_TEXT["accept"]))
        if st.story.key == "client-close":
            notes.add("client-close", st.index, "A", words(_NOTE_TEXT["client-close"]))
    if unseen_at:
        _explain_unseen(notes, unseen_at)
    _explain_time_wait(notes, story)
    return notes.numbered()


def _explain_side(notes: _Notes, story: "RealStory", st, side: str,
                  unseen_at: dict[State, list[tuple[int, str]]]) -> None:
    """The notes on one side of one step; states tcplab passed and the kernel did not show
    are collected in ``unseen_at`` (one note tells them all)."""
    p, i = story.prediction, st.index
    entered = p.steps[i][0 if side == "A" else 1]
    end = p.ends[i][0 if side == "A" else 1]
    seen = st.seen(side)
    last = st.last(side)
    if last.listener and last.table is not None and last.table != last.socket:
        notes.add("listener", i, side, words(_NOTE_TEXT["listener"]))
    for s in entered[:-1]:
        if s not in seen:
            unseen_at.setdefault(s, []).append((i, side))
    for o in st.side(side):
        if (o.socket is State.CLOSED and o.table is State.TIME_WAIT):
            notes.add("time-wait-socket", i, side, words(_NOTE_TEXT["time-wait-socket"]))
    if State.FIN_WAIT_1 in seen and State.FIN_WAIT_2 in seen:
        o2 = next(o for o in st.side(side) if o.state is State.FIN_WAIT_2)
        notes.add("delayed-ack", i, side, words(N_(
            "A was seen in FIN-WAIT-1 for about {ms} ms: B's kernel delays its ACK of the FIN "
            "(a delayed ACK, allowed by RFC 9293 §3.8.6.3 up to 0.5 s; Linux waits about "
            "40 ms, hoping to send data with it), while tcplab acknowledges at once."),
            ms=f"{o2.t * 1000:.0f}"))
    if last.state is not end:
        if end is State.TIME_WAIT and last.table is None and not \
                story.support.table:
            text = words(_NOTE_TEXT["no-table"])
        elif not st.settled:
            text = words(N_("{side} ended the step in {kernel} by the kernel, {tcplab} by "
                            "tcplab (the kernel did not get there within {waited} s)."),
                         side=side, kernel=str(last.state), tcplab=str(end),
                         waited=f"{st.waited:.1f}")
        else:
            text = words(N_("{side} ended the step in {kernel} by the kernel, {tcplab} by "
                            "tcplab."), side=side, kernel=str(last.state), tcplab=str(end))
        notes.add(f"end-{i}-{side}", i, side, text)


def _joined(items: list) -> str:
    """``", ".join(items)`` that still says each item in the language spoken."""
    out = items[0]
    for item in items[1:]:
        out = words("{a}, {b}", a=out, b=item)
    return out


def _explain_unseen(notes: _Notes, unseen_at: dict[State, list[tuple[int, str]]]) -> None:
    names = _joined([words("{state} ({refs})", state=str(s), refs=_joined(
        [words(N_("{side}, step {n}"), side=side, n=i + 1) for i, side in refs]))
        for s, refs in unseen_at.items()])
    text = words(N_(
        "tcplab passes through {names} within a step; the kernel showed only where the step "
        "ended. On 127.0.0.1 the other side answers within microseconds, often inside the "
        "same system call, before the program can look.") if State.SYN_RECEIVED not in
        unseen_at else N_(
        "tcplab passes through {names} within a step; the kernel showed only where the step "
        "ended. On 127.0.0.1 the other side answers within microseconds, often inside the "
        "same system call, before the program can look. B's SYN-RECEIVED is over before "
        "accept() is even called: the kernel answers the SYN and completes the handshake by "
        "itself."), names=names)
    for s, refs in unseen_at.items():
        for i, side in refs:
            notes.add("unseen", i, side, text)


def _explain_time_wait(notes: _Notes, story: "RealStory") -> None:
    left = story.time_wait_left()
    if left is None:
        return
    p = story.prediction
    i = max(i for i, s in enumerate(story.steps) if any(o.timer for o in s.a))
    values = dict(left=f"{left:.1f}", linux=f"{LINUX_TIME_WAIT:g}", msl=f"{p.msl:g}",
                  time_wait=f"{p.time_wait:g}")
    notes.add("time-wait-length", i, "A", words(N_(
        "The kernel's timer for A's TIME-WAIT had {left} s left: Linux keeps TIME-WAIT for "
        "TCP_TIMEWAIT_LEN = {linux} s, a constant of the kernel, whatever the MSL. tcplab "
        "waits 2MSL = 2 × {msl} s = {time_wait} s (the same number here, only because "
        "tcplab's msl is 30 s). The story does not wait for it.")
        if p.time_wait == LINUX_TIME_WAIT else N_(
        "The kernel's timer for A's TIME-WAIT had {left} s left: Linux keeps TIME-WAIT for "
        "TCP_TIMEWAIT_LEN = {linux} s, a constant of the kernel, whatever the MSL. tcplab "
        "waits 2MSL = 2 × {msl} s = {time_wait} s. The story does not wait for it."),
        **values))
