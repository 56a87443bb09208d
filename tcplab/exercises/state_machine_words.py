"""Lesson 05's explain-in-words questions (the finite state machine): why CLOSING, and why
send() is legal in CLOSE-WAIT but not after one's own FIN.  Beside the checkers of
:mod:`tcplab.exercises.state_machine`; nothing grades them (:mod:`tcplab.grading.explain`)."""

from __future__ import annotations

from ..grading.explain import explanation
from ..text import N_
from .state_machine import LESSON


explanation(
    "explain-closing", LESSON,
    question=N_("Why does a host in FIN-WAIT-1 go to CLOSING, not straight to TIME-WAIT, "
                "when the peer's FIN arrives — and what takes it on from CLOSING?"),
    model=N_("FIN-WAIT-1 means: our FIN is sent but not yet acknowledged. If the peer's FIN "
             "arrives without acknowledging ours (the two FINs crossed: a simultaneous "
             "close), the host acknowledges the peer's FIN, but must still learn that its "
             "own FIN arrived, or retransmit it: it waits in CLOSING (RFC 9293 §3.10.7.4, "
             "eighth step). The ACK of its FIN then takes it to TIME-WAIT, where it waits "
             "2MSL like any side that sent a last ACK; both hosts take this path. If the "
             "peer's FIN also acknowledges ours (a FIN+ACK), nothing is left to wait for and "
             "FIN-WAIT-1 goes straight to TIME-WAIT. The lecture's four-way close (四次挥手) "
             "shows only the usual path; the state diagram has CLOSING on a thin edge. Linux "
             "has the same state (TCP_CLOSING), but its TIME-WAIT lasts a fixed 60 s rather "
             "than a 2MSL computed from an MSL."),
    points=(N_("FIN-WAIT-1 waits for the ACK of our own FIN; a crossing FIN does not "
               "acknowledge it"),
            N_("in CLOSING the host has acknowledged the peer's FIN and waits for the ACK "
               "of its own (which it retransmits if lost); that ACK leads to TIME-WAIT"),
            N_("a FIN that does acknowledge ours (FIN+ACK) takes FIN-WAIT-1 straight to "
               "TIME-WAIT"),
            N_("in a simultaneous close both hosts pass through CLOSING and TIME-WAIT "
               "(Linux: a fixed 60 s)")))

explanation(
    "explain-send-after-close", LESSON,
    question=N_("Why may B still call send() in CLOSE-WAIT, while A's send() is refused "
                "once A is in FIN-WAIT-1 or FIN-WAIT-2?"),
    model=N_("A FIN closes one direction only (the half-close, 半关闭). In CLOSE-WAIT, B "
             "has received A's FIN: A will send nothing more, but B has promised nothing, "
             "so B may go on sending until its own application calls close(). In "
             "FIN-WAIT-1 and FIN-WAIT-2 it is A that sent a FIN: that FIN occupies the "
             "sequence number after A's last byte, so A cannot send data beyond it. RFC "
             "9293 §3.10.2 answers a SEND in those states with \"error: connection "
             "closing\"; tcplab raises IllegalEvent. On Linux, after shutdown(SHUT_WR) a "
             "send() fails with EPIPE (and raises SIGPIPE); after close() the descriptor "
             "is gone (EBADF). A still receives in FIN-WAIT-2: only its sending direction "
             "is closed."),
    points=(N_("a FIN closes only its sender's direction (half-close): the other direction "
               "stays open"),
            N_("B in CLOSE-WAIT has sent no FIN, so it may still send; its close() sends "
               "the second FIN"),
            N_("A's FIN took the sequence number after A's last byte: A can send no more "
               "data (RFC 9293: \"connection closing\"; Linux: EPIPE after shutdown)")))
