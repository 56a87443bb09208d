"""ConnectionLab: play host A, host B and the network, and watch both hosts change.

The lab is an ipywidgets VBox around a :class:`~tcplab.widgets.session.Session`.
Every button appends an action to the session and then :meth:`refresh`
recomputes what is shown (both state diagrams, the ladder diagram, the log,
the clock, the held segments, which buttons are enabled).  Handlers only
change widget values, never print, so a notebook cell that clicks gives the
same saved output every time.

Saved without a kernel (GitHub, nbconvert), the lab's output also carries a
static HTML snapshot of its pictures, so a reader still sees them.
"""

from __future__ import annotations

import html
from typing import Sequence

import ipywidgets as w

from ..diagrams import state_diagram
from ..diagrams.ladder.incremental import IncrementalLadder, latest_start
from ..diagrams.picture import scale_svg
from ..fsm import IllegalEvent
from ..session import CALLS, LabConfig, Session
from ..text import N_, _
from ..trace import say
from .common import (announce_html, empty_ladder_html, message_html, snapshot_html,
                     state_changes)

__all__ = ["ConnectionLab"]

_CALL_LABELS = {"listen": "listen()", "connect": "connect()", "send": "send(data)",
                "close": "close()", "abort": "abort()"}
# the buttons keep the call's name (it is code); their tooltips speak the language
_CALL_TIPS = {"listen": N_("passive open (被动打开): wait for a SYN"),
              "connect": N_("active open (主动打开): send a SYN to the other host"),
              "send": N_("hand a few bytes to TCP"),
              "close": N_("no more data: send FIN"),
              "abort": N_("give up the connection at once: RST")}


class _HostPanel(w.VBox):
    """One host: its name and state, its state diagram, its call buttons."""

    def __init__(self, lab: "ConnectionLab", name: str, colour: str):
        self.lab = lab
        self.name = name
        self.colour = colour
        self.title = w.HTML()
        self.diagram = w.HTML(layout=w.Layout(width="100%"))
        self.buttons = {}
        for call in CALLS:
            b = w.Button(description=_CALL_LABELS[call], tooltip=_(_CALL_TIPS[call]),
                         layout=w.Layout(width="auto"))
            b.on_click(lambda _b, call=call: lab._call(name, call))
            b.add_class(f"tcplab-{name}-{call}")
            self.buttons[call] = b
        # overflow visible: a box that scrolls would need a keyboard stop of its own (axe)
        super().__init__([self.title, w.HBox(list(self.buttons.values()),
                                             layout=w.Layout(flex_flow="row wrap")),
                          self.diagram],
                         layout=w.Layout(width="50%", padding="0 6px", overflow="visible"))


class ConnectionLab(w.VBox):
    """Two hosts and a network to play with.

    ConnectionLab(config=None, actions=(), notation="symbolic", legal_only=True, **config)

    ``config`` (a :class:`LabConfig`) or keyword arguments (``seed``, ``delay``,
    ``loss``, ``iss``, ``handshake`` ...) build the network; ``actions``
    replays a story first (see :meth:`from_scenario`).  ``legal_only`` enables
    only the calls the transition table allows (switch it off to try an
    illegal call and see it refused).
    """

    #: how many of the latest segments the ladder diagram shows
    LADDER_SEGMENTS = 24

    def __init__(self, config: LabConfig | None = None, actions: Sequence = (), *,
                 notation: str = "symbolic", legal_only: bool = True, **options):
        if config is None:
            config = LabConfig(**options)
        elif options:
            raise TypeError(_("give either a LabConfig or keyword options, not both"))
        if notation not in ("symbolic", "numeric"):
            raise ValueError(_("notation must be 'symbolic' or 'numeric', not {notation}")
                             .format(notation=repr(notation)))
        self.session = Session(config, actions)
        self._busy = False
        # the ladder of the session's trace, drawn again after each click at the cost of
        # what is new (undo and reset replay on a fresh network: it reads that afresh)
        self._ladder = IncrementalLadder()

        names = config.hosts
        from ..diagrams.state import HOST_COLOURS
        self.panels = {n: _HostPanel(self, n, HOST_COLOURS[i]) for i, n in enumerate(names)}
        self.clock = w.HTML()
        self.message = w.HTML()
        # the live region: each state change in words, for a screen reader
        self.announce = w.HTML()
        self._seen = None                # the states and the trace's length last announced
        self._said = ""                  # the message line's text, for the announcement

        def button(description, tooltip, handler, icon=""):
            b = w.Button(description=_(description), tooltip=_(tooltip), icon=icon,
                         layout=w.Layout(width="auto"))
            b.on_click(lambda _b: self._guarded(handler))
            return b

        self.step_button = button(N_("deliver next"), N_("process the next event (a segment "
                                  "arriving or a timer expiring)"), self._step, "step-forward")
        self.run_button = button(N_("run"), N_("process events until nothing is left to do"),
                                 self._run, "fast-forward")
        self.undo_button = button(N_("undo"), N_("take the last action back"), self._undo,
                                  "undo")
        self.reset_button = button(N_("reset"), N_("start again (same seed)"), self._reset,
                                   "refresh")
        self._playing_controls()
        self.fault_buttons = {
            "drop": button(N_("drop next"), N_("the next segment sent is lost"),
                           lambda: self._arm("drop"), "times"),
            "hold": button(N_("hold next"), N_("the next segment sent is held in the network "
                           "until you release it"), lambda: self._arm("hold"), "pause"),
            "duplicate": button(N_("duplicate next"), N_("the next segment sent arrives twice"),
                                lambda: self._arm("duplicate"), "clone"),
        }
        self._network_controls(config)
        self.held_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.legal_only = w.Checkbox(value=legal_only, description=_("only legal calls enabled"),
                                     indent=False)
        self.legal_only.observe(lambda ch: self.refresh(), names="value")
        self.notation = w.ToggleButtons(options=[("x, y, u…", "symbolic"),
                                                 (_("numbers"), "numeric")], value=notation,
                                        style={"button_width": "80px"})
        self.notation.observe(lambda ch: self.refresh(), names="value")
        self.ladder = w.HTML(layout=w.Layout(width="100%"))
        self.event_log = w.HTML(layout=w.Layout(width="100%"))

        controls = w.VBox([
            w.HBox([self.step_button, self.run_button, self.play_button, self.play,
                    self.speed, self.clock],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            w.HBox(list(self.fault_buttons.values()) + [self.loss, self.delay],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.held_box,
            w.HBox([self.undo_button, self.reset_button, self.legal_only, self.notation],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
        ], layout=w.Layout(border="1px solid #ddd", padding="4px", margin="4px 0"))
        super().__init__([self.message, self.announce,
                          w.HBox(list(self.panels.values()), layout=w.Layout(width="100%")),
                          controls, self.ladder,
                          w.Accordion([self.event_log], titles=(_("event log"),),
                                      selected_index=None)])
        self.add_class("tcplab-connection-lab")
        self.refresh()

    # ------------------------------------------------------------------ construction helpers

    def _playing_controls(self) -> None:
        """play (a named toggle driving a hidden Play) and speed."""
        # The Play widget ticks in the browser, but its buttons are bare icons (no name a
        # screen reader can say): it stays hidden, driven by a named toggle button.
        self.play = w.Play(value=0, min=0, max=10**9, step=1, interval=700,
                           show_repeat=False, layout=w.Layout(display="none"))
        self.play.observe(self._on_play, names="value")
        self.play_button = w.ToggleButton(description=_("play"), icon="play",
                                          tooltip=_("deliver events one by one"),
                                          layout=w.Layout(width="auto"))
        self.play_button.add_class("tcplab-play")
        w.link((self.play_button, "value"), (self.play, "playing"))
        # a list of speeds rather than a slider: a <select> with its <label> is named and
        # keyboard-operable (ipywidgets' slider handle has no accessible name)
        self.speed = w.Dropdown(options=[("¼×", 0.25), ("½×", 0.5), ("1×", 1.0), ("2×", 2.0),
                                         ("4×", 4.0), ("8×", 8.0)], value=1.0,
                                description=_("speed"), layout=w.Layout(width="160px"))
        self.speed.observe(lambda ch: setattr(self.play, "interval",
                                              int(700 / ch["new"])), names="value")

    def _network_controls(self, config: LabConfig) -> None:
        """loss and delay, as number boxes."""
        # number boxes (an <input> with its <label>), not sliders: named for a screen reader
        self.loss = w.BoundedFloatText(value=config.loss, min=0.0, max=0.5, step=0.05,
                                       description=_("loss"), continuous_update=False,
                                       layout=w.Layout(width="200px"))
        self.loss.observe(lambda ch: self._set("loss", ch["new"]), names="value")
        self.delay = w.BoundedFloatText(value=config.delay, min=0.01, max=2.0, step=0.01,
                                        description=_("delay (s)"), continuous_update=False,
                                        layout=w.Layout(width="200px"))
        self.delay.observe(lambda ch: self._set("delay", ch["new"]), names="value")

    @classmethod
    def from_scenario(cls, name: str, **kwargs) -> "ConnectionLab":
        """A lab opened at the interesting moment of a canned story (``tcplab.scenarios``)."""
        from ..scenarios import get
        scenario = get(name)
        return cls(scenario.config, scenario.actions, **kwargs)

    @classmethod
    def from_counterexample(cls, cx, **kwargs) -> "ConnectionLab":
        """A lab opened at the violation a model checker found (``tcplab.explore``); undo
        walks the story back step by step."""
        session = cx.session()
        if any(a[0] == "copy" for a in session.actions):
            # a network copy is an action of the explorer's own session: keep that session
            lab = cls(cx.config, (), **kwargs)
            lab.session = session
            lab.refresh()
            return lab
        return cls(cx.config, session.actions, **kwargs)

    def inject(self, segment) -> None:
        """Put a hand-made :class:`~tcplab.segment.Segment` on the wire now, as an
        off-path host would (its src may name A or B: the network cannot tell).  One action,
        like a click: undo takes it back.  Anything but one Segment raises a clear error."""
        self.session.do("inject", segment)
        self.refresh()

    # ------------------------------------------------------------------ reading

    @property
    def net(self):
        return self.session.net

    def host(self, name: str):
        return self.session.host(name)

    # ------------------------------------------------------------------ handlers

    def _guarded(self, handler) -> None:
        """Run a handler; whatever it raises is shown in words, and nothing breaks."""
        if self._busy:
            return
        self._busy = True
        try:
            self._show(None)
            handler()
        except (IllegalEvent, ValueError, TypeError) as exc:
            self._show(str(exc))
        finally:
            self._busy = False
        self.refresh(keep_message=True)

    def _call(self, host: str, call: str) -> None:
        def handler():
            args = ()
            if call == "connect":
                args = (next(n for n in self.session.config.hosts if n != host),)
            elif call == "send":
                args = (self.session.config.payload,)
            try:
                self.session.do("call", host, call, *args)
            except IllegalEvent as exc:
                raise ValueError(f"{host}: {exc}") from None
        self._guarded(handler)

    def _step(self) -> None:
        if self.session.net.idle:
            self._show(_("Nothing is in flight and no timer is running: nothing to deliver."),
                       kind="info")
            return
        self.session.do("step")

    def _run(self) -> None:
        if self.session.net.idle:
            self._show(_("Nothing is in flight and no timer is running: nothing to run."),
                       kind="info")
            return
        self.session.do("run")

    def _undo(self) -> None:
        if not self.session.undo():
            self._show(_("Nothing to undo."), kind="info")
        self._sync_sliders()

    def _reset(self) -> None:
        self.session.reset()
        self._sync_sliders()

    def _arm(self, fault: str) -> None:
        self.session.do("arm", fault)

    def _release(self, index: int) -> None:
        self._guarded(lambda: self.session.do("release", index))

    def _set(self, name: str, value: float) -> None:
        if self._busy:
            return
        current = {"loss": self.net.loss_rate, "delay": self.net.delay}[name]
        if abs(current - value) > 1e-12:
            self._guarded(lambda: self.session.do("set", name, value))

    def _on_play(self, change) -> None:
        if self._busy or change["new"] == 0:
            return
        if self.session.net.idle:
            self.play.playing = False
            return
        self._guarded(lambda: self.session.do("step"))
        if self.session.net.idle:
            self.play.playing = False

    def _sync_sliders(self) -> None:
        was, self._busy = self._busy, True
        try:
            self.loss.value = self.net.loss_rate
            self.delay.value = self.net.delay
        finally:
            self._busy = was

    # ------------------------------------------------------------------ drawing

    def _show(self, text: str | None, kind: str = "error") -> None:
        self.message.value = message_html(text, kind)
        self._said = text or ""

    def refresh(self, keep_message: bool = False) -> None:
        """Redraw everything from the session (handlers call it after each action)."""
        if not keep_message:
            self._show(None)
        session = self.session
        net = session.net
        legal_only = self.legal_only.value
        for name, panel in self.panels.items():
            h = net.hosts[name]
            panel.title.value = (
                f'<div style="font-family:sans-serif;font-size:15px">'
                f'<b style="color:{panel.colour}">'
                + html.escape(_("host {name}").format(name=name)) + '</b> &nbsp; '
                f'<span class="tcplab-state" data-host="{html.escape(name)}" '
                f'style="font-weight:bold">{h.state}</span>'
                + (f' <span style="color:#c92a2a">({html.escape(say(h.error))})</span>'
                   if h.error else "") + "</div>")
            panel.diagram.value = scale_svg(state_diagram(h, colours=(panel.colour,)).svg())
            legal = session.legal(name)
            for call, b in panel.buttons.items():
                b.disabled = legal_only and call not in legal
                b.button_style = "" if call in legal else "danger"
        idle = net.idle
        self.step_button.disabled = self.run_button.disabled = idle
        self.undo_button.disabled = not session.actions
        armed = session.armed_faults()
        for fault, b in self.fault_buttons.items():
            b.button_style = "warning" if fault in armed else ""
        self.clock.value = (f'<span style="font-family:monospace;font-size:14px;'
                            f'padding:0 8px">t = {net.now:.3f} s</span>')
        held = session.held_holds()
        buttons = []
        notation = self.notation.value
        sym = net.notation() if notation == "symbolic" and held else None
        for i, h in enumerate(held):
            seg = h.segments[0]
            label = _("release {segment}").format(
                segment=f"{seg.src}→{seg.dst} {seg.describe(sym)}")
            b = w.Button(description=label, icon="play", layout=w.Layout(width="auto"),
                         tooltip=_("put the held segment back on the wire now"))
            b.on_click(lambda _b, i=i: self._release(i))
            buttons.append(b)
        self.held_box.children = tuple(buttons)
        self.ladder.value = self._ladder_svg()
        self._announce()
        table = net.trace.table(notation, kinds=_LOG_KINDS)
        self.event_log.value = (f'<pre style="max-height:260px;overflow:auto;font-size:12px;'
                          f'line-height:1.3">{html.escape(table)}</pre>')

    def _announce(self) -> None:
        """Say in the live region which host changed state (or the message shown)."""
        states = {_("host {name}").format(name=h.name): h.state for h in self.session.hosts}
        seen, self._seen = self._seen, (states, len(self.net.trace))
        if seen is None:                 # the lab as it opens: nothing has happened yet
            return
        before, length = seen
        changed = state_changes(before, states)
        if changed or self._said or length != len(self.net.trace):
            said = " ".join(["; ".join(changed) or _("No state changed."), self._said])
            self.announce.value = announce_html(f"{said.strip()} t = {self.net.now:.3f} s")

    def _ladder_svg(self) -> str:
        if not self.net.trace:
            return empty_ladder_html()
        # the latest LADDER_SEGMENTS segments: a lab's picture follows the story
        start = latest_start(self.net.sent, self.LADDER_SEGMENTS)
        return scale_svg(self._ladder.draw(self.net, self.notation.value, start=start,
                                           max_segments=self.LADDER_SEGMENTS).svg(),
                         max_width="900px")

    # ------------------------------------------------------------------ display

    def summary(self) -> str:
        hosts = ", ".join(f"{h.name} {h.state}" for h in self.session.hosts)
        return _("ConnectionLab at t={time} s: {hosts}").format(time=f"{self.net.now:.3f}",
                                                                hosts=hosts)

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs) or {}
        data["text/plain"] = self.summary()
        data["text/html"] = self.snapshot_html()
        return data

    def snapshot_html(self) -> str:
        """The lab's pictures as static HTML (what a reader sees without a kernel)."""
        return snapshot_html(self.summary(), self.panels.values(), self.ladder.value)


_LOG_KINDS = ("call", "state", "send", "arrive", "lost", "drop", "duplicate", "hold",
              "release", "expire", "unroutable", "inject", "timer", "give-up", "reply",
              "ignore", "notify", "deliver")
