"""ServerLab: one server, many clients; pick a connection and watch both its ends.

The ConnectionLab plays two hosts with one connection.  A server holds many, each named
by its socket pair, so this lab has a **picker** (a dropdown of the server's
connections, ``B:80 ← A:49152  ESTABLISHED / ESTABLISHED``: the server's end, then the
client's); the connection chosen drives the two state diagrams (client end, server end),
their call buttons, and the ladder (that connection's segments, or every connection's).
Buttons open a new client connection and take one from the accept queue; a line above
counts the server's connections by state and shows its two queues.

It is a face on :class:`tcplab.session_many.ServerSession`: every click is an action of
the session, so undo and reset are exact, and handlers only change widget values.
"""

from __future__ import annotations

import html
from typing import Sequence

import ipywidgets as w

from ..diagrams import state_diagram
from ..diagrams.ladder.incremental import IncrementalLadder, latest_start
from ..diagrams.picture import scale_svg
from ..diagrams.state import HOST_COLOURS
from ..fsm import IllegalEvent, State
from ..session_many import END_CALLS, SIDES, ServerConfig, ServerSession
from ..text import N_, _
from .common import (announce_html, empty_ladder_html, message_html, snapshot_html,
                     state_changes)

__all__ = ["ServerLab"]

_TIPS = {"send": N_("hand a few bytes to TCP on this end"),
         "close": N_("no more data from this end: send FIN"),
         "abort": N_("give this end up at once: RST")}
_IDLE = {"step": N_("Nothing is in flight and no timer is running: nothing to deliver."),
         "run": N_("Nothing is in flight and no timer is running: nothing to run.")}
_SIDE_TITLES = {"client": N_("client end {end}"), "server": N_("server end {end}")}


class _EndPanel(w.VBox):
    """One end of the chosen connection: its socket, state, diagram and call buttons."""

    def __init__(self, lab: "ServerLab", side: str, colour: str):
        self.side, self.colour = side, colour
        self.title = w.HTML()
        self.diagram = w.HTML(layout=w.Layout(width="100%"))
        self.buttons = {}
        for call in END_CALLS:
            b = w.Button(description=f"{call}()", tooltip=_(_TIPS[call]),
                         layout=w.Layout(width="auto"))
            b.on_click(lambda _b, call=call: lab._guarded(lambda: lab._call(side, call)))
            b.add_class(f"tcplab-{side}-{call}")
            self.buttons[call] = b
        # overflow visible: a box that scrolls would need a keyboard stop of its own (axe)
        super().__init__([self.title, w.HBox(list(self.buttons.values())), self.diagram],
                         layout=w.Layout(width="50%", padding="0 6px", overflow="visible"))


class ServerLab(w.VBox):
    """A server and its clients to play with.

    ServerLab(config=None, actions=(), **config): ``config`` (a
    :class:`~tcplab.session_many.ServerConfig`) or keyword arguments (``seed``,
    ``delay``, ``loss``, ``server``, ``port``, ``backlog``, ``clients``,
    ``syn_cookies`` ...) build the network (the server listens already); ``actions``
    replays a story first, as ``[("connect",), ("connect",), ("run", 1)]``.
    """

    #: how many of the latest segments the ladder shows
    LADDER_SEGMENTS = 24

    def __init__(self, config: ServerConfig | None = None, actions: Sequence = (),
                 **options):
        if config is None:
            config = ServerConfig(**options)
        elif options:
            raise TypeError(_("give either a ServerConfig or keyword options, not both"))
        self.session = ServerSession(config, actions)
        self._busy = False
        self._ladder = IncrementalLadder()     # the ladder, drawn again at the cost of what is new
        self._wanted = None              # the connection to choose at the next refresh
        self.message = w.HTML()
        self.summary_line = w.HTML()
        # the live region: each state change of the chosen connection in words
        self.announce = w.HTML()
        self._seen = None                # connection, its ends' states, trace length announced
        self._said = ""                  # the message line's text, for the announcement

        def button(description, tooltip, handler, icon="", css=""):
            b = w.Button(description=_(description), tooltip=_(tooltip), icon=icon,
                         layout=w.Layout(width="auto"))
            b.on_click(lambda _b: self._guarded(handler))
            if css:
                b.add_class(css)
            return b

        self.client_choice = w.Dropdown(options=list(config.clients), value=config.clients[0],
                                        description=_("client"),
                                        layout=w.Layout(width="160px"))
        self.connect_button = button(N_("new connection"), N_("the client opens one more "
                                     "connection to the server, from a free ephemeral port"),
                                     self._connect, "plus", "tcplab-new-connection")
        self.accept_button = button(N_("accept()"), N_("the server takes the oldest "
                                    "established connection from its accept queue"),
                                    self._accept, "", "tcplab-accept")
        self.step_button = button(N_("deliver next"), N_("process the next event (a segment "
                                  "arriving or a timer expiring)"), lambda: self._advance("step"),
                                  "step-forward",
                                  "tcplab-step")
        self.run_button = button(N_("run"), N_("process events until nothing is left to do"),
                                 lambda: self._advance("run"), "fast-forward", "tcplab-run")
        self.undo_button = button(N_("undo"), N_("take the last action back"), self._undo,
                                  "undo", "tcplab-undo")
        self.reset_button = button(N_("reset"), N_("start again (same seed)"),
                                   self.session.reset, "refresh", "tcplab-reset")
        self.picker = w.Dropdown(description=_("connection"), options=[],
                                 layout=w.Layout(width="620px"),
                                 style={"description_width": "initial"})
        self.picker.observe(lambda ch: self._on_pick(), names="value")
        self.picker.add_class("tcplab-picker")
        # in a notebook the arrow keys move between cells: buttons walk the list instead
        self.previous_button = button(N_("previous"), N_("show the previous connection of "
                                      "the list"), lambda: self._walk(-1), "chevron-up",
                                      "tcplab-previous")
        self.next_button = button(N_("next"), N_("show the next connection of the list"),
                                  lambda: self._walk(1), "chevron-down", "tcplab-next")
        self.ladder_scope = w.ToggleButtons(
            options=[(_("this connection"), "one"), (_("all connections"), "all")],
            value="one", tooltips=[_("the segments of the connection chosen, in the "
                                     "lecture's letters"),
                                   _("every connection's segments, with their numbers")])
        self.ladder_scope.observe(lambda ch: self.refresh(), names="value")
        self.panels = {side: _EndPanel(self, side, HOST_COLOURS[i])
                       for i, side in enumerate(SIDES)}
        self.clock = w.HTML()
        self.ladder = w.HTML(layout=w.Layout(width="100%"))
        row = w.Layout(flex_flow="row wrap", align_items="center")
        super().__init__([
            self.message, self.announce, self.summary_line,
            w.HBox([self.client_choice, self.connect_button, self.accept_button,
                    self.step_button, self.run_button, self.clock], layout=row),
            w.HBox([self.picker, self.previous_button, self.next_button, self.undo_button,
                    self.reset_button], layout=row),
            w.HBox(list(self.panels.values()), layout=w.Layout(width="100%")),
            self.ladder_scope, self.ladder])
        self.add_class("tcplab-server-lab")
        self.refresh()

    # ------------------------------------------------------------------ reading
    @property
    def net(self):
        return self.session.net

    @property
    def chosen(self):
        """The Pair the picker shows (None: no connection yet)."""
        if self.picker.value is None:
            return None
        return self.session.pair(*self.picker.value)

    # ------------------------------------------------------------------ handlers
    def _guarded(self, handler) -> None:
        """Run a handler; whatever it raises is shown in words, and nothing breaks."""
        if self._busy:
            return
        self._busy = True
        self._show(None)
        try:
            handler()
        except (IllegalEvent, ValueError, TypeError) as exc:
            self._show(str(exc))
        finally:
            self._busy = False
        self.refresh(keep_message=True)

    def _connect(self) -> None:
        conn = self.session.do("connect", self.client_choice.value)
        self._pick(conn.local)

    def _accept(self) -> None:
        conn = self.session.do("accept")
        if conn is not None:
            self._pick(conn.remote)

    def _call(self, side: str, call: str) -> None:
        pair = self.chosen
        if pair is None:
            raise ValueError(_("open a connection first: new connection"))
        self.session.do("call", *pair.key, side, call)

    def _advance(self, action: str) -> None:
        """Deliver the next event ("step") or all of them ("run"), if there is any."""
        if self.net.idle:
            self._show(_(_IDLE[action]), kind="info")
            return
        self.session.do(action)

    def _undo(self) -> None:
        if not self.session.undo():
            self._show(_("Nothing to undo."), kind="info")

    def _walk(self, by: int) -> None:
        keys = [k for _l, k in self.picker.options]
        if keys:
            here = keys.index(self.picker.value) if self.picker.value in keys else 0
            self._pick(keys[min(max(here + by, 0), len(keys) - 1)])

    def _on_pick(self) -> None:
        if not self._busy:
            self.refresh()

    def _pick(self, key) -> None:
        """Choose the connection ``key`` once the picker lists it (on the next refresh)."""
        self._wanted = key

    # ------------------------------------------------------------------ drawing
    def _show(self, text: str | None, kind: str = "error") -> None:
        self.message.value = message_html(text, kind)
        self._said = text or ""

    def refresh(self, keep_message: bool = False) -> None:
        """Redraw everything from the session (handlers call it after each action)."""
        if not keep_message:
            self._show(None)
        session, net = self.session, self.net
        self._refresh_picker()
        self.summary_line.value = self._summary_html()
        pair = self.chosen
        for side, panel in self.panels.items():
            end = pair.end(side) if pair is not None else None
            name = (f"{end.local[0]}:{end.local[1]}" if end is not None else "–")
            state = str(end.state) if end is not None else _("no connection")
            if end is not None and not end.accepted:
                state += " " + _("(not accepted yet: accept() hands it to the server)")
            panel.title.value = (
                f'<div style="font-family:sans-serif;font-size:15px">'
                f'<b style="color:{panel.colour}">'
                + html.escape(_(_SIDE_TITLES[side]).format(end=name)) + '</b> &nbsp; '
                f'<span class="tcplab-state" data-side="{side}" style="font-weight:bold">'
                f'{html.escape(state)}</span></div>')
            drawn = state_diagram(end, colours=(panel.colour,)) if end is not None \
                else state_diagram()
            panel.diagram.value = scale_svg(drawn.svg())
            legal = session.legal(*pair.key, side) if end is not None else set()
            for call, b in panel.buttons.items():
                b.disabled = call not in legal
        idle = net.idle
        self.step_button.disabled = self.run_button.disabled = idle
        self.undo_button.disabled = not session.actions
        keys = [k for _l, k in self.picker.options]
        at = keys.index(self.picker.value) if self.picker.value in keys else -1
        self.previous_button.disabled = at <= 0
        self.next_button.disabled = not 0 <= at < len(keys) - 1
        listener = session.listener
        self.accept_button.disabled = listener is None or not listener.accept_queue
        self.clock.value = (f'<span style="font-family:monospace;font-size:14px;'
                            f'padding:0 8px">t = {net.now:.3f} s</span>')
        self.ladder.value = self._ladder_svg(pair)
        self._announce(pair)

    def _announce(self, pair) -> None:
        """Say in the live region which end of the chosen connection changed state, the
        connection itself when another is chosen, and the message shown."""
        key = pair.key if pair is not None else None
        states = {} if pair is None else {
            _(_SIDE_TITLES[side]).format(end=f"{pair.end(side).local[0]}:"
                                             f"{pair.end(side).local[1]}"): pair.end(side).state
            for side in SIDES if pair.end(side) is not None}
        seen, self._seen = self._seen, (key, states, len(self.net.trace))
        if seen is None:                 # the lab as it opens: nothing has happened yet
            return
        was, before, length = seen
        if key != was and pair is not None:
            said = f"{self.picker.label}."
        else:
            said = "; ".join(state_changes(before, states))
            if not said and (self._said or length != len(self.net.trace)):
                said = _("No state changed.")
        if said or self._said:
            self.announce.value = announce_html(" ".join(
                part for part in (said, self._said, f"t = {self.net.now:.3f} s") if part))

    def _refresh_picker(self) -> None:
        options = [(p.label(), p.key) for p in self.session.pairs()]
        keys = [k for _l, k in options]
        wanted, self._wanted = self._wanted, None
        value = wanted if wanted in keys else (self.picker.value
                                               if self.picker.value in keys else
                                               (keys[-1] if keys else None))
        was, self._busy = self._busy, True
        try:
            if list(self.picker.options) != options:
                self.picker.options = options
            self.picker.value = value
        finally:
            self._busy = was

    def _summary_html(self) -> str:
        session = self.session
        listener = session.listener
        cfg = session.config
        order = list(State)
        counts = ", ".join(f"{n} {s}" for s, n in sorted(session.counts().items(),
                                                         key=lambda kv: order.index(kv[0])))
        queues = (_("SYN queue {syn}/{backlog}, accept queue {accept}").format(
            syn=len(listener.syn_queue), backlog=listener.backlog,
            accept=len(listener.accept_queue)) if listener is not None else "")
        text = _("server {server}:{port}: {connections} connections ({counts}); {queues}").format(
            server=cfg.server, port=cfg.port, connections=len(session.server.connections),
            counts=counts or "–", queues=queues)
        return (f'<div class="tcplab-server-summary" style="font-family:sans-serif;'
                f'padding:2px 0">{html.escape(text)}</div>')

    def _ladder_svg(self, pair) -> str:
        if not self.net.trace or pair is None and self.ladder_scope.value == "one":
            return empty_ladder_html()
        if self.ladder_scope.value == "one":
            ends = {pair.client.local, pair.client.remote}
            mine = [(t, s) for t, s in self.net.sent
                    if {(s.src, s.sport), (s.dst, s.dport)} == ends]
            kw = {"connection": pair.client, "notation": "symbolic"}
        else:
            mine = self.net.sent
            kw = {"notation": "numeric"}
        start = latest_start(mine, self.LADDER_SEGMENTS)
        return scale_svg(self._ladder.draw(self.net, start=start,
                                           max_segments=self.LADDER_SEGMENTS, **kw).svg(),
                         max_width="900px")

    # ------------------------------------------------------------------ display
    def summary(self) -> str:
        pairs = self.session.pairs()
        return _("ServerLab at t={time} s: {count} connections").format(
            time=f"{self.net.now:.3f}", count=len(pairs))

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs) or {}
        data["text/plain"] = self.summary()
        data["text/html"] = self.snapshot_html()
        return data

    def snapshot_html(self) -> str:
        """The lab's pictures as static HTML (what a reader sees without a kernel)."""
        return snapshot_html(self.summary(), self.panels.values(), self.ladder.value,
                             head=self.summary_line.value)
