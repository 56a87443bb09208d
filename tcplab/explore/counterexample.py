"""A counterexample: a shortest behaviour that breaks a property, told step by step,
replayed on a real network, drawn as a ladder and opened in a lab."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..endpoint import RETRANSMIT, TIME_WAIT
from ..segment import Notation, Segment
from ..session import LabConfig
from .model import Model
from .replay import REPLAY_DELAY, IsnLabConfig, ReplayError, replay
from ..text import N_, _
from ..trace import joined, parts, say, words
from .properties import property_doc, property_name
from .world import HOSTS, World

__all__ = ["Step", "Counterexample"]


@dataclass
class Step:
    """One step of a counterexample: what happened, and the world after it."""

    number: int
    action: tuple
    text: str
    world: World
    info: dict = field(repr=False)

    def __str__(self) -> str:
        return f"{self.number:>3}  {self.text}"


#: a step's last part: what it sends
_SENDS = N_("sends {segments}")


def _what_and_sends(text) -> str:
    """A step's text without its state changes (the table's columns show them), said."""
    found = parts(text)
    return say(joined("; ", [found[0]] + [p for p in found[1:]
                                          if getattr(p, "template", None) == _SENDS]))


def _seg(seg: Segment, notation: Notation | None, when: float) -> str:
    return f"{seg.src}→{seg.dst} {seg.describe(notation, when=when)}"


class Counterexample:
    """A shortest behaviour that breaks a property: its steps, a replay, a picture, a lab.

    ``steps`` (list of :class:`Step`), ``final`` (the world that breaks it), ``property``;
    ``table()`` the steps as text; ``session()`` the replay as a lab session (checked step
    by step); ``network()`` its network; ``ladder()`` the ladder diagram.  The labs
    stand above: ``ConnectionLab.from_counterexample(cx)`` opens one at the violation.
    """

    def __init__(self, model: Model, path: list, prop):
        self._model = model
        self.property = prop
        self.path = list(path)
        self.steps: list[Step] = []
        w = model.initial()
        self.initial = w
        for n, action in enumerate(self.path, 1):
            info: dict = {}
            nxt = model.apply(w, action, info)
            if nxt is None:  # pragma: no cover - the search only records possible steps
                raise ReplayError(f"step {n} ({action}) cannot be taken again")
            self.steps.append(Step(n, action, "", nxt, info))
            w = nxt
        self.final = w
        self._actions: list | None = None
        notation = Notation.from_segments(
            (s.world.now, p.segment) for s in self.steps for p in s.info["emitted"])
        prev = self.initial
        for s in self.steps:
            s.text = self._describe(prev, s, notation)
            prev = s.world

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self):
        return iter(self.steps)

    # ------------------------------------------------------------------ text

    def _describe(self, before: World, s: Step, notation) -> str:
        kind = s.action[0]
        info = s.info
        w = s.world
        if kind == "call":
            h = info["host"]
            call = self._model.scripts[HOSTS.index(h)][before.pos[HOSTS.index(h)]]
            arg = f"'{HOSTS[1 - HOSTS.index(h)]}'" if call.name == "connect" else ""
            what = words(N_("{host} calls {call}"), host=h, call=f"{call.name}({arg})")
        elif kind == "time":
            h, name, deadline = info["timer"]
            label = (words(N_("retransmission timer")) if name == RETRANSMIT else
                     words(N_("TIME-WAIT timer (2MSL)")) if name == TIME_WAIT
                     else words(N_("{name} timer"), name=name))
            wait = w.now - before.now
            what = (words(N_("{wait:g} s later, {host}'s {timer} expires"), wait=wait, host=h,
                          timer=label) if wait > 0
                    else words(N_("at once, {host}'s {timer} expires"), host=h, timer=label))
            if info.get("expired"):
                count = len(info["expired"])
                what = words(N_("{what} (meanwhile {count} segment older than MSL died)")
                             if count == 1 else
                             N_("{what} (meanwhile {count} segments older than MSL died)"),
                             what=what, count=count)
        elif kind == "deliver":
            p = info["packet"]
            what = words(N_("arrives: {segment}"), segment=_seg(p.segment, notation, p.born))
            if w.delivered.old:
                to = w.delivered.to
                what = words(N_("{what} (old: a segment of incarnation {old}, arriving in "
                                "{host}'s incarnation {now})"), what=what, old=p.incarnation,
                             host=to, now=before.inc[HOSTS.index(to)])
            elif any(q.segment.src == p.segment.src and q.segment.dst == p.segment.dst
                     for q in before.flight[:s.action[1]]):
                what = words(N_("{what} (overtakes an earlier segment)"), what=what)
        elif kind == "duplicate":
            p = info["packet"]
            what = words(N_("the network copies {segment}"),
                         segment=_seg(p.segment, notation, p.born))
        else:
            p = info["packet"]
            what = words(N_("the network loses {segment}"),
                         segment=_seg(p.segment, notation, p.born))
        changes = []
        for i, h in enumerate(HOSTS):
            if w.eps[i].state is not before.eps[i].state:
                changes.append(f"{h} {before.eps[i].state} → {w.eps[i].state}")
        sent = [_seg(p.segment, notation, p.born) for p in info["emitted"]]
        parts = [what]
        if changes:
            parts.append(", ".join(changes))
        if sent:
            parts.append(words(_SENDS, segments=", ".join(sent)))
        return joined("; ", parts)

    def table(self) -> str:
        """The steps, one a line, in the lecture's notation, with both hosts' states."""
        lines = [f"  0  A {self.initial.A.state}, B {self.initial.B.state}"]
        lines += [str(s) for s in self.steps]
        f = self.final
        doc = property_doc(self.property)
        breaks = (_("breaks {property} ({doc})") if doc else _("breaks {property}")).format(
            property=property_name(self.property), doc=say(doc))
        lines.append(f"     → A {f.A.state}, B {f.B.state}: {breaks}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return (f"<Counterexample of {property_name(self.property)}: {len(self)} steps, "
                f"A {self.final.A.state}, B {self.final.B.state}>")

    def _repr_pretty_(self, p, cycle) -> None:  # IPython
        p.text(self.table())

    def _repr_html_(self) -> str:
        def row(cells, head=False):
            tag = "th" if head else "td"
            return "<tr>" + "".join(
                f'<{tag} style="text-align:{a};padding:1px 8px;vertical-align:top">'
                f"{html.escape(str(c))}</{tag}>" for c, a in zip(cells, aligns)) + "</tr>"
        aligns = ("right", "left", "left", "left")
        rows = [row((_("step"), _("what happens"), "A", "B"), head=True),
                row((0, _("the start"), self.initial.A.state, self.initial.B.state))]
        prev = self.initial
        for s in self.steps:
            w = s.world
            marks = []
            for i in (0, 1):
                st = w.eps[i].state
                marks.append(f"{st}" if st is not prev.eps[i].state else "")
            rows.append(row((s.number, _what_and_sends(s.text), marks[0], marks[1])))
            prev = w
        f = self.final
        doc = property_doc(self.property)
        return ('<div class="tcplab-counterexample" style="font-family:sans-serif;'
                'font-size:13px"><table style="border-collapse:collapse">'
                + "".join(rows) + "</table>"
                f'<p style="margin:4px 0;color:#c92a2a"><b>A {f.A.state}, B {f.B.state}: '
                + html.escape(_("breaks {property}").format(property=property_name(self.property)))
                + "</b>" + (f" — {html.escape(say(doc))}" if doc else "") + "</p></div>")

    # ------------------------------------------------------------------ replay

    @property
    def config(self):
        """The :class:`~tcplab.session.LabConfig` of the replay network."""
        m = self._model
        options = dict(seed=0, delay=REPLAY_DELAY, msl=m.msl, handshake=m.handshake,
                       time_wait=m.time_wait, payload=m.payload)
        if all(len(v) == 1 for v in m.iss):
            return LabConfig(iss=(m.iss[0][0], m.iss[1][0]), **options)
        return IsnLabConfig(iss=(m.iss[0][0], m.iss[1][0]), isns=m.iss, **options)

    @property
    def actions(self) -> list[tuple]:
        """The replay as lab-session actions (see :class:`~tcplab.session.Session`)."""
        if self._actions is None:
            self._actions = list(self.session().actions)
        return list(self._actions)

    def session(self):
        """The counterexample replayed on a real network, as a lab session.

        Checked step by step: after each step the real endpoints must be in the explorer's
        states with the explorer's numbers (else :class:`ReplayError`).  The session's
        network is new each call; its actions can rebuild it (``ConnectionLab(config,
        actions)``).
        """
        return replay(self)

    def network(self):
        """The replay's :class:`~tcplab.network.Network`, at the violation."""
        return self.session().net

    def replayed_world(self, session=None) -> World:
        """The final world with the replay network's endpoints in place of the explorer's.

        ``property(cx.replayed_world())`` is False: the real network breaks it too.
        """
        net = (session or self.session()).net
        f = self.final
        return World((net.hosts["A"].endpoint, net.hosts["B"].endpoint), f.now, f.flight,
                     f.used, f.pos, f.incarnation, f.busy, f.tseq, f.tnext, f.conns, f.inc,
                     f.delivered)

    def ladder(self, notation: str = "symbolic", **kwargs):
        """The ladder (time-sequence) diagram of the replay."""
        from ..diagrams import sequence_diagram
        kwargs.setdefault("max_segments", None)
        return sequence_diagram(self.network(), notation, **kwargs)
