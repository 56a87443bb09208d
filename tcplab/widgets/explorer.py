"""StateMachineExplorer: one endpoint alone, a button for every event of the table.

No network and no segments: the student fires the state machine's events by
hand (application calls, segment arrivals by kind, timers) and watches the
state diagram follow.  An event the table does not allow in the current state
is reported in words, as the lecture says a state machine must, and changes
nothing.  This is the lab of the "11 states" lesson.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..diagrams import state_diagram
from ..diagrams.picture import scale_svg
from ..fsm import Event, EventKind, IllegalEvent, Machine, State, accepted_without_change
from ..text import N_, _, language
from .common import announce_html

#: the bare state machine, under the name lesson 05 introduced it by
Walker = Machine

__all__ = ["StateMachineExplorer", "Walker"]


_GROUPS = ((EventKind.CALL, N_("application calls")),
           (EventKind.SEGMENT, N_("a segment arrives")),
           (EventKind.TIMER, N_("a timer expires")))


class StateMachineExplorer(w.VBox):
    """Fire any event of the state machine and watch the diagram follow.

    StateMachineExplorer(handshake="three-way", view="classic")
    """

    def __init__(self, handshake: str = "three-way", view: str = "classic"):
        # the name marks the state on the diagram and starts its words ("you is in ..."
        # would not do, nor an English "you" in the Chinese edition)
        self.walker = Walker(name=_("you"), handshake=handshake)
        self.view = view
        self.title = w.HTML()
        self.message = w.HTML()
        # the live region: the transition taken (or refused) in words, for a screen reader
        self.announce = w.HTML()
        self.accepted = w.HTML()
        self.diagram = w.HTML(layout=w.Layout(width="100%"))
        self.path_text = w.HTML()
        self.buttons: dict[Event, w.Button] = {}
        rows = []
        for kind, caption in _GROUPS:
            buttons = []
            for event in Event:
                if event.kind is not kind:
                    continue
                b = w.Button(description=event.call or event.label, tooltip=event.meaning,
                             layout=w.Layout(width="auto"))
                b.on_click(lambda _b, e=event: self.fire(e))
                b.add_class("tcplab-event")
                self.buttons[event] = b
                buttons.append(b)
            rows.append(w.HBox([w.HTML(f'<div style="width:140px;font-family:sans-serif;'
                                       f'color:#495057">{html.escape(_(caption))}</div>')]
                               + buttons,
                               layout=w.Layout(flex_flow="row wrap", align_items="center")))
        self.undo_button = w.Button(description=_("undo"), icon="undo",
                                    tooltip=_("take the last action back"),
                                    layout=w.Layout(width="auto"))
        self.undo_button.on_click(lambda _b: self.undo())
        self.reset_button = w.Button(description=_("reset"), icon="refresh",
                                     tooltip=_("start again from CLOSED"),
                                     layout=w.Layout(width="auto"))
        self.reset_button.on_click(lambda _b: self.reset())
        self.legal_only = w.Checkbox(value=False, description=_("only legal events enabled"),
                                     indent=False)
        self.legal_only.observe(lambda ch: self.refresh(), names="value")
        super().__init__([self.title, self.accepted, self.message, self.announce] + rows +
                         [w.HBox([self.undo_button, self.reset_button, self.legal_only]),
                          self.diagram, self.path_text])
        self.add_class("tcplab-explorer")
        self.refresh()

    @property
    def state(self) -> State:
        return self.walker.state

    def fire(self, event: Event) -> bool:
        """Fire ``event``; False (and the reason shown) if it is illegal here."""
        try:
            t = self.walker.fire(event)
        except IllegalEvent as exc:
            self.refresh()
            also = accepted_without_change(self.walker.state)
            extra = (_(" Ordinary traffic is still accepted in {state}: {events}; it changes "
                       "no state, so it has no edge.").format(state=self.walker.state,
                                                              events=", ".join(also))
                     if event.kind is EventKind.SEGMENT and also else "")
            self._show(str(exc) + extra, "error")
            return False
        self.refresh()
        what = f"{t.source} --{t.label}--> {t.target}"
        self._show(what + (f": {t.explanation}" if t.note else ""), "info")
        return True

    def undo(self) -> None:
        taken = self.walker.transitions[:-1]
        self.walker.reset()
        for t in taken:
            self.walker.fire(t.event)
        self.refresh()
        self._say_state()

    def reset(self) -> None:
        self.walker.reset()
        self.refresh()
        self._say_state()

    def _say_state(self) -> None:
        self.announce.value = announce_html(f"{_('state:')} {self.walker.state}")

    def _show(self, text: str, kind: str) -> None:
        bg, fg = {"error": ("#fff0f0", "#c92a2a"), "info": ("#ebfbee", "#2b8a3e")}[kind]
        self.message.value = (f'<div class="tcplab-message tcplab-{kind}" style="background:{bg};'
                              f'color:{fg};border-left:4px solid {fg};padding:4px 8px;'
                              f'font-family:sans-serif">{html.escape(text)}</div>')
        self.announce.value = announce_html(text)

    def refresh(self) -> None:
        walker = self.walker
        legal = set(walker.legal())
        self.title.value = ('<div style="font-family:sans-serif;font-size:15px">'
                            + html.escape(_("state:")) + ' '
                            f'<b class="tcplab-state">{walker.state}</b> — '
                            f'<i>{html.escape(walker.state.explanation)}</i> '
                            # the lecture's line, unless the explanation is Chinese already
                            + (f'（{walker.state.chinese}）' if language() != "zh" else "")
                            + '</div>')
        self.message.value = ""
        also = accepted_without_change(walker.state)
        self.accepted.value = (
            '<div class="tcplab-accepted" style="font-family:sans-serif;color:#495057">'
            + html.escape(_("also accepted here without changing state (no button, no edge): "
                            "{events}").format(events=", ".join(also)))
            + '</div>' if also else "")
        for event, b in self.buttons.items():
            b.button_style = "" if event in legal else "danger"
            b.disabled = self.legal_only.value and event not in legal
        self.undo_button.disabled = not walker.transitions
        self.diagram.value = scale_svg(state_diagram(walker, view=self.view, path=True).svg(),
                                       max_width="720px")
        self.path_text.value = ('<div style="font-family:monospace;font-size:12px">'
                                + html.escape(" → ".join(map(str, walker.history))) + "</div>")

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs) or {}
        data["text/plain"] = _("StateMachineExplorer in {state}").format(state=self.walker.state)
        data["text/html"] = (self.title.value + self.accepted.value + self.diagram.value
                             + self.path_text.value)
        return data
