"""The lab exercise of lesson 07, the corner cases of closing: ``corner-lab``.

It reads what a student did in a :class:`~tcplab.widgets.ConnectionLab`: did a
host go from FIN-WAIT-1 straight to TIME-WAIT (section 2 of the lesson)?
"""

from __future__ import annotations

from ..fsm import Event, State
from ..grading.answers import read_lab
from ..grading.framework import Feedback, exercise
from ..text import N_, _
from .corner_closing import LESSON

S = State


@exercise("corner-lab",
          N_("In the lab, make one host go from FIN-WAIT-1 straight to TIME-WAIT, as in section 2 "
          "(click 'reset' first: in the lab's opening story both FINs are already on their "
          "way). Then check with checks.check('corner-lab', lab=lab)."), LESSON)
def corner_lab(lab=None, **other):
    net = read_lab("corner-lab", lab, other, hosts_ok=bool)      # any host will do
    if isinstance(net, Feedback):
        return net
    hosts = list(net.hosts.values())
    for h in hosts:
        for t in h.transitions:
            if t.source is S.FIN_WAIT_1 and t.event is Event.RCV_FIN_ACK:
                return Feedback(True, [
                    _("{h_name} went FIN-WAIT-1 --{t_label}--> {t_target}: one segment "
                    "acknowledged its FIN and brought the peer's.").format(h_name=h.name, t_label=t.label, t_target=t.target)], 1.0)
    seen = [(h, t) for h in hosts for t in h.transitions if t.source is S.FIN_WAIT_1]
    if any(t.target is S.CLOSING for _, t in seen):
        hint = (_("A host went FIN-WAIT-1 → CLOSING: the peer's FIN did not acknowledge its "
                "FIN (the two FINs crossed). Let only one host close first, and let its FIN "
                "arrive before the other closes."))
    elif any(t.target is S.FIN_WAIT_2 for _, t in seen):
        hint = (_("A host went FIN-WAIT-1 → FIN-WAIT-2: the ACK of its FIN arrived on its own. "
                "Click 'drop next' just before delivering the FIN, so that the peer's ACK is "
                "lost; then let the peer close()."))
    elif all(h.state is S.FIN_WAIT_1 for h in hosts):
        hint = (_("Both hosts have closed and their FINs cross: each will go to CLOSING (a "
                "simultaneous close). Click 'reset', open a connection (B's listen(), A's "
                "connect(), 'run') and let only A close first."))
    elif any(h.state is S.FIN_WAIT_1 for h in hosts):
        hint = (_("A host is in FIN-WAIT-1. If its FIN has not arrived yet: click 'drop next', "
                "then 'deliver next' (the peer's ACK is lost), then the peer's close() and "
                "'deliver next'."))
    elif all(h.state is S.ESTABLISHED for h in hosts):
        hint = _("The connection is open. Now close one host (A's close()).")
    else:
        hint = (_("Open a connection first: B's listen(), A's connect() and 'run' (click "
                "'reset' first if you need to); then close A."))
    states = _(", ").join((_("{host} is {state}") if h.state is S.CLOSED else
                           _("{host} is in {state}")).format(host=h.name, state=h.state)
                          for h in hosts)
    return Feedback(False, [_("{states}. No host has gone from FIN-WAIT-1 straight to "
                            "TIME-WAIT yet.").format(states=states), hint], 0.0)
