"""Exercises of lesson 08, the real TCP of the student's own machine.

Each checker computes its answer from the library: the story's table of socket
calls and tcplab's prediction of it (:mod:`tcplab.real`), a tcplab network with
the question's MSL, Linux's TIME-WAIT constant, and tcplab's abort()
(:func:`tcplab.real.tcplab_release`).  None needs the real kernel, so they work
the same on every machine.
"""

from __future__ import annotations

from typing import Any

from ..grading.framework import Part, compare, exercise
from ..grading.variants import Choice
from ..fsm import State
from .. import real
from ..grading.answers import mistake, read_flags_part, seconds_part, state_part
from ..text import N_, _

LESSON = "08-real-tcp"

# --------------------------------------------------------------------------- variants
# Only what stays true of tcplab's model and of Linux varies per student: the MSL of a
# tcplab network (Linux has none: its TIME-WAIT is the constant 60 s whatever the MSL), a
# server's rate of connections, and the bytes and window of tcplab's abort story.  The
# kernel's own runs and recordings are the lesson's, shown with the lesson's numbers.

#: MSLs in seconds: never 30 s or 60 s, where 2MSL or the MSL would be Linux's 60 s
_MSLS = (10.0, 15.0, 20.0, 25.0, 40.0, 45.0, 50.0, 75.0, 90.0, 100.0, 120.0, 150.0, 180.0)
#: connections per second: 50 apart, so that two students' answers are never "about" equal
_RATES = range(100, 2001, 50)


def _call_name(answer: Any) -> str | None:
    """'shutdown', 'close', ... from 'shutdown(SHUT_WR)', 'sock.close()', 'SHUT_WR' ..."""
    if not isinstance(answer, str):
        return None
    text = answer.strip().strip("'\"").lower()
    if "shut_wr" in text or "shutdown" in text:
        return "shutdown"
    text = text.split("(")[0].strip()
    return text.rsplit(".", 1)[-1] or None


@exercise("real-server-closes-first",
          N_("A web server has sent its whole reply. It wants the client to know that nothing "
          "more is coming, but it must still read whatever the client sends. Which socket "
          "call makes it do so, close() or shutdown(SHUT_WR)? And once the client has "
          "acknowledged, which state is the server's connection in (the client has not "
          "closed yet)? Answer with checks.check('real-server-closes-first', call='...', "
          "state='...')."), LESSON)
def server_closes_first(call=None, state=None, **other):
    i, step = next((i, s) for i, s in enumerate(real.STORY) if s.tcplab == "a.close()")
    expected = _call_name(step.sockets.split(": ", 1)[1].split(";")[0])
    closer_end = real.predict().ends[i][0]        # the side that closed first, acknowledged
    given = _call_name(call)
    why = mistake(given, _("Which call is RFC 9293's CLOSE (\"I have nothing more to send\") "
                  "and leaves the socket open for reading?"), {
                      "close": _("close() gives the socket back: the server could not read "
                               "anything more (and unread data would be answered with RST). "
                               "The call that only sends the FIN keeps the socket for "
                               "reading."),
                      "recv": _("recv() reads what the other side sent; it ends nothing."),
                  })
    if call is not None and given is None:
        why = _("Name the call in quotes, like call='shutdown' or call='close'.")
    parts = [Part("call", expected, why),
             state_part("state", closer_end, state, (
                 _("The server closed first: it follows the client's usual path of lessons 02 "
                 "and 05.")), {
                 State.FIN_WAIT_1: _("FIN-WAIT-1 lasts only until the FIN is acknowledged, and "
                                   "the client has acknowledged it."),
                 State.CLOSE_WAIT: _("CLOSE-WAIT is the state of the side that receives the "
                                   "FIN first: here that is the client."),
                 State.TIME_WAIT: _("TIME-WAIT comes only after the client's FIN, and the "
                                  "client has not closed yet."),
                 State.LAST_ACK: _("LAST-ACK is the state of the side that closes second."),
                 State.CLOSED: _("The server must still receive (the half-close): its "
                               "connection is not closed yet."),
             })]
    answers = {"call": given if given is not None else call, "state": state, **other}
    return compare(answers, parts,
                   praise=_("shutdown(SHUT_WR) is RFC 9293's CLOSE: the FIN goes out, the "
                          "socket still reads (the half-close, 半关闭), and once the FIN is "
                          "acknowledged the server waits in {closer_end}: whichever side "
                          "closes first takes the client's usual path.").format(closer_end=closer_end))


@exercise("real-time-wait-length",
          N_("Take a tcplab network with msl={msl:g} s (RFC 793 suggested two minutes). After "
          "the four-way close, how long does tcplab's A wait in TIME-WAIT, and how long does "
          "Linux keep the same connection in TIME-WAIT? Answer in seconds with "
          "checks.check('real-time-wait-length', tcplab=..., linux=...)."), LESSON,
          vary=dict(msl=Choice(_MSLS, 120.0)))
def time_wait_length(v, /, tcplab=None, linux=None, **other):
    msl = v["msl"]
    tw = real.predict(msl).time_wait
    return compare({"tcplab": tcplab, "linux": linux, **other}, [
        seconds_part("tcplab", tw, tcplab, _("tcplab waits 2MSL, twice the network's msl."), {
            msl: _("{msl:g} s is one MSL; TIME-WAIT lasts 2MSL.").format(msl=msl),
            real.LINUX_TIME_WAIT: _("{real_linux_time_wait:g} s is Linux's constant; "
                                  "tcplab computes 2MSL from the network's msl.").format(real_linux_time_wait=real.LINUX_TIME_WAIT),
        }),
        seconds_part("linux", real.LINUX_TIME_WAIT, linux, (
            _("Linux does not compute TIME-WAIT from an MSL: look at the timer the kernel's "
            "table showed for A's TIME-WAIT.")), {
            tw: _("{tw:g} s is 2MSL for msl={msl:g} s, but Linux has no MSL setting: its "
                "TIME-WAIT is a constant compiled into the kernel (TCP_TIMEWAIT_LEN).").format(
                    tw=tw, msl=msl),
            msl: _("Linux has no MSL setting: its TIME-WAIT is a constant compiled into the "
                 "kernel (TCP_TIMEWAIT_LEN)."),
        }),
    ], praise=_("tcplab: 2 × {msl:g} s = {tw:g} s. Linux: TCP_TIMEWAIT_LEN = "
              "{real_linux_time_wait:g} s, whatever the MSL.").format(msl=msl, tw=tw, real_linux_time_wait=real.LINUX_TIME_WAIT))


@exercise("real-time-wait-count",
          N_("A busy Linux server closes first, and so ends in TIME-WAIT, on {rate} connections "
          "every second, all day. About how many of its connections are in TIME-WAIT in its "
          "kernel's table at any moment? Answer with "
          "checks.check('real-time-wait-count', connections=...)."), LESSON,
          vary=dict(rate=Choice(_RATES, 500)))
def time_wait_count(v, /, connections=None, **other):
    rate = v["rate"]
    expected = int(rate * real.LINUX_TIME_WAIT)
    rfc793 = int(rate * real.predict(120.0).time_wait)
    why = mistake(connections, (
        _("Each connection stays in TIME-WAIT for as long as Linux's TIME-WAIT lasts; "
        "multiply by how many enter it every second.")), {
        rate: _("{rate} connections enter TIME-WAIT every second, but each stays there for "
              "{real_linux_time_wait:g} s.").format(rate=rate, real_linux_time_wait=real.LINUX_TIME_WAIT),
        rfc793: _("{rfc793} is right for RFC 793's MSL of 2 minutes (4 minutes of TIME-WAIT); "
                "Linux waits {real_linux_time_wait:g} s.").format(rfc793=rfc793, real_linux_time_wait=real.LINUX_TIME_WAIT),
        rfc793 // 2: _("That would be two minutes of TIME-WAIT (one MSL of RFC 793, or twice "
                     "Linux's): Linux waits {real_linux_time_wait:g} s in all.").format(real_linux_time_wait=real.LINUX_TIME_WAIT),
    })
    if isinstance(connections, (int, float)) and not isinstance(connections, bool) and \
            abs(connections - expected) <= 0.02 * expected:
        connections = expected                      # "about": 2 % either way is right
    return compare({"connections": connections, **other}, [
        Part("connections", expected, why)],
        praise=_("{rate} per second × {real_linux_time_wait:g} s = {expected} connections in "
               "TIME-WAIT: one line each in the kernel's table, each holding a port pair.").format(rate=rate, real_linux_time_wait=real.LINUX_TIME_WAIT, expected=expected))


def _told(answer: Any) -> str | None:
    """What B's application is told, read forgivingly: "connection reset", "end of file" ..."""
    if not isinstance(answer, str):
        return None
    text = answer.strip().lower()
    if text in ("b''", 'b""'):
        return "end of file"
    text = text.strip("'\"")
    if "reset" in text:
        return "connection reset"
    if "refused" in text:
        return "connection refused"
    if text in ("", "nothing", "0", "end-of-file") or "end of file" in text or "eof" in text:
        return "end of file"
    return text


@exercise("real-abort",
          N_("tcplab's A (mss {mss}) has handed {sent} bytes to its TCP, "
          "but B's window is {window} bytes, so only {window} of them "
          "are on their way when A's application calls abort() (on a real socket: SO_LINGER "
          "on with 0 s, then close()). How many bytes does B's application "
          "receive in all, which control bit ends the connection, and what is B's "
          "application told? Answer with checks.check('real-abort', received=..., "
          "sends='...', told='...')."), LESSON, mss=real.abort.MSS,
          # B's window a few segments, all of them sent at once; A's bytes well beyond it
          vary=dict(sent=Choice(range(1000, 5001, 100), real.abort.SENT),
                    window=Choice(range(100, 1000, 50), real.abort.WINDOW)))
def abort_release(v, /, received=None, sends=None, told=None, **other):
    # tcplab's model: the same on every machine
    run = real.tcplab_release("abort", sent=v["sent"], window=v["window"])
    orderly = real.tcplab_release("close", sent=v["sent"], window=v["window"])
    expected_told = "connection reset" if "reset" in run.ending else run.ending
    given_sends, sends_part = read_flags_part("sends", run.control, sends, (
        _("abort() is the abortive release: one segment that tells the peer to forget the "
        "connection at once.")), {
        "FIN": _("FIN is the orderly release (close()): the queued data would go first and "
               "B would read every byte. abort() does not wait."),
        "FIN+ACK": _("FIN+ACK is the orderly release (close()); abort() sends something else."),
        "nothing": _("The peer must be told, or it would keep a half-open connection: "
                   "abort() sends one segment."),
    }, accept=("RST+ACK",))
    parts = [
        Part("received", run.received, mistake(received, (
            _("Count only what was already on its way when A aborted: the rest of A's queue "
            "is thrown away.")), {
            run.sent: _("All {run_sent} bytes arrive only with close() (the orderly release); "
                      "abort() flushes the {run_lost} bytes still queued in A's TCP.").format(run_sent=run.sent, run_lost=run.lost),
            0: _("The {run_received} bytes already sent travel ahead of the RST and arrive "
               "first; only the queued ones are lost.").format(run_received=run.received),
            run.lost: _("{run_lost} is what never arrives: A's TCP throws it away.").format(run_lost=run.lost),
        })),
        sends_part,
        Part("told", expected_told, mistake(_told(told), (
            _("recv() on B's socket fails: with which error?")), {
            "end of file": _("End of file (recv() returns b'') is what close() gives, after "
                           "all {orderly_received} bytes; after an RST, recv() fails with "
                           "ECONNRESET.").format(orderly_received=orderly.received),
            "connection refused": _("'Connection refused' answers a SYN with RST (nobody "
                                  "listening); B's connection was established, so it is "
                                  "reset."),
        })),
    ]
    answers = {"received": received, "sends": given_sends,
               "told": _told(told) if _told(told) is not None else told, **other}
    return compare(answers, parts, praise=(
        _("abort(): the {run_received} bytes already sent arrive, the {run_lost} still queued "
        "are thrown away, A sends {run_control} and is CLOSED at once (no TIME-WAIT), and "
        "B's application is told 'connection reset' (ECONNRESET: 'connection reset by "
        "peer'). close() would have delivered all {orderly_received} and then end of "
        "file.").format(run_received=run.received, run_lost=run.lost, run_control=run.control, orderly_received=orderly.received)))
