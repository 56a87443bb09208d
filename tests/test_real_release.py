"""tcplab.real's two shorter stories against this machine's kernel: a SYN from the same port
that finds the server's side in TIME-WAIT (next to tcplab's three rules), and the abortive
release with SO_LINGER 0 (next to tcplab's abort()); their exercise; other machines."""

from __future__ import annotations

import socket
import struct
import sys
import time

import pytest

from tcplab import State, checks, real
from tcplab.real import abort as abort_mod
from tcplab.real import kernel, reopen as reopen_mod

from test_real import all_closed, linux_only, live, live_code, sockets  # noqa: F401  (shared)

S = State


def kernel_run(make):
    """A module fixture's value: one run on this kernel, shared by the tests that read it."""
    if not real.supported():
        pytest.skip("needs Linux's TCP_INFO and /proc/net/tcp (or ss)")
    return live(make)


# --------------------------------------------------------------------------- tcplab's three rules

def test_tcplab_rules_in_the_servers_time_wait():
    rules = {r.rule: r for r in real.tcplab_rules()}
    assert list(rules) == ["challenge-ack", "rfc793", "reopen"]
    ch, r793, re = rules["challenge-ack"], rules["rfc793"], rules["reopen"]
    assert (ch.answer, ch.outcome) == ("ACK", reopen_mod.LATER)
    assert ch.b_states[:2] == (S.CLOSED, S.LISTEN)          # A's RST ended B's TIME-WAIT
    assert ch.seconds == pytest.approx(1.2)                   # one RTO (1 s) + a round trip
    assert (r793.answer, r793.outcome, r793.seconds) == ("RST+ACK", reopen_mod.REFUSED, None)
    assert (re.answer, re.outcome) == ("SYN+ACK", reopen_mod.AT_ONCE)
    assert re.seconds == pytest.approx(0.2) and re.b_states == (S.SYN_RECEIVED, S.ESTABLISHED)
    assert real.tcplab_rules() == tuple(rules.values())       # deterministic


def test_a_kernel_that_did_otherwise_matches_other_rules():
    rules = real.tcplab_rules()
    fake = reopen_mod.KernelReopen(1, 2, True, reopen_mod.REFUSED, 0.001,
                                   "ConnectionRefusedError: refused", False, None, ())
    result = real.TimeWaitSyn(fake, rules, "explained")
    assert result.matching() == ["rfc793"]
    assert "rule 'rfc793' predicts" in result.summary()
    odd = real.TimeWaitSyn(reopen_mod.KernelReopen(1, 2, True, reopen_mod.NOTHING, 5.0,
                                                   "timed out", False, None, ()),
                           rules, "explained")
    assert odd.matching() == [] and "none of tcplab's three rules" in odd.summary()


# --------------------------------------------------------------------------- the kernel's reopen

@pytest.fixture(scope="module")
def reopened():
    return kernel_run(real.time_wait_syn)


@linux_only
def test_the_kernel_saw_the_servers_time_wait_and_the_outcome_is_measured(reopened):
    k = reopened.kernel
    assert k is not None and reopened.error is None
    assert k.time_wait_before                     # the story's precondition held
    assert k.outcome in (reopen_mod.AT_ONCE, reopen_mod.LATER, reopen_mod.REFUSED,
                         reopen_mod.NOTHING)
    assert (k.outcome == reopen_mod.AT_ONCE) == (k.error is None and k.seconds < 0.5)
    assert dict(k.sysctls).keys() == {"net.ipv4.tcp_timestamps", "net.ipv4.tcp_rfc1337"}


@linux_only
def test_linux_reopens_from_time_wait_at_once(reopened):
    """Linux's tcp_timewait_state_process: a newer SYN reopens (RFC 1122, RFC 6191)."""
    k = reopened.kernel
    assert k.outcome == reopen_mod.AT_ONCE and k.accepted and k.table_after is S.ESTABLISHED
    assert reopened.matching() == ["reopen"]
    assert "rule 'reopen' predicts" in reopened.summary()
    assert f"port {k.client_port}" in repr(reopened) and "<table" in reopened._repr_html_()


@linux_only
def test_the_reopen_story_uses_only_127_0_0_1_and_closes_every_socket(monkeypatch, sockets):
    used = []
    for name in ("bind", "connect"):
        original = getattr(socket.socket, name)

        def spy(self, address, *rest, _name=name, _original=original):
            used.append((_name, address))
            return _original(self, address, *rest)

        monkeypatch.setattr(socket.socket, name, spy)
    result = real.kernel_reopen()
    assert result is not None
    assert all(addr[0] == "127.0.0.1" for _, addr in used)
    binds = [addr[1] for name, addr in used if name == "bind"]
    assert binds == [0, 0, result.client_port]          # the same port, bound again
    assert all_closed(sockets)


@linux_only
def test_every_socket_is_closed_when_the_reconnect_fails(monkeypatch, sockets):
    original = socket.socket.connect
    calls = {"n": 0}

    def connect(self, address):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(KeyboardInterrupt):
        real.kernel_reopen()
    assert all_closed(sockets)


# --------------------------------------------------------------------------- abort versus close

def test_tcplab_abort_flushes_the_queue_and_resets():
    ab = real.tcplab_release("abort")
    assert (ab.sent, ab.received, ab.lost) == (1000, 200, 800)
    assert ab.control == "RST" and ab.a_after is S.CLOSED
    assert ab.ending.startswith("error: connection reset by A")
    cl = real.tcplab_release("close")
    assert (cl.received, cl.lost, cl.control, cl.ending) == (1000, 0, "FIN", "end of file")
    assert cl.a_after is S.FIN_WAIT_1
    with pytest.raises(ValueError, match="'close' or 'abort'"):
        real.tcplab_release("shutdown")


@pytest.fixture(scope="module")
def releases():
    return kernel_run(real.abort_vs_close)


@linux_only
def test_kernel_close_delivers_every_byte_then_end_of_file(releases):
    r = releases.run("kernel", "close")
    assert r.sent > 0 and r.received == r.sent and r.ending == "end of file"
    assert r.control == "FIN" and r.a_after in (S.FIN_WAIT_1, S.FIN_WAIT_2)


@linux_only
def test_kernel_abort_throws_queued_data_away_and_resets_the_peer(releases):
    r = releases.run("kernel", "abort")
    assert 0 < r.received < r.sent, (r.sent, r.received)   # queued data never arrived
    assert "ECONNRESET" in r.ending and r.control == "RST"
    assert r.a_after is None and r.table                   # no TIME-WAIT, nothing left
    assert releases.shown and "some bytes never arrived" in releases.summary()
    assert "SO_LINGER 0" in repr(releases) and "<table" in releases._repr_html_()


@linux_only
def test_abort_closes_every_socket(sockets):
    assert real.kernel_release("abort") is not None
    assert all_closed(sockets)


@linux_only
def test_an_unread_abort_is_seen_by_a_plain_recv():
    """The same fact without tcplab: SO_LINGER 0 + close() makes the peer's recv() fail."""
    with socket.socket() as lst:
        lst.bind(("127.0.0.1", 0))
        lst.listen(1)
        a = socket.create_connection(lst.getsockname(), timeout=2)
        b, _ = lst.accept()
        with b:
            a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            a.close()
            b.settimeout(2)
            with pytest.raises(ConnectionResetError):
                b.recv(10)


# --------------------------------------------------------------------------- other machines

def test_off_linux_nothing_is_opened_and_tcplab_still_answers(monkeypatch, sockets):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(kernel.platform, "system", lambda: "Darwin")
    monkeypatch.setattr(kernel, "_proc_works", lambda: False)
    result = real.time_wait_syn()
    assert result.kernel is None and result.matching() == []
    assert "not shown here" in result.summary() and "macOS" in result.summary()
    assert len(result.rules) == 3
    rel = real.abort_vs_close()
    assert not rel.shown and rel.run("kernel", "abort") is None
    assert "not shown here" in rel.summary() and "macOS" in repr(rel)
    assert rel.run("tcplab", "abort").lost == 800
    assert sockets == []
    assert checks.check("real-abort", received=200, sends="RST", told="ECONNRESET")


def test_linux_without_the_table_does_not_claim_a_time_wait(monkeypatch, tmp_path, sockets):
    monkeypatch.setattr(kernel, "PROC_NET_TCP", str(tmp_path / "no-such-file"))
    monkeypatch.setattr(kernel, "_ss_path", lambda: None)
    assert real.kernel_reopen() is None
    assert len(sockets) <= 1 and all(s.fileno() == -1 for s in sockets)   # support()'s probe


# --------------------------------------------------------------------------- the exercise

def test_the_abort_exercise_is_registered_and_computed():
    keys = [e.key for e in checks.exercises("08-real-tcp")]
    assert keys[-1] == "real-abort"
    assert "no answer yet" in checks.check("real-abort").text()
    q = repr(checks.ask("real-abort"))
    assert f"{abort_mod.SENT} bytes" in q and "ECONNRESET" not in q


@pytest.mark.parametrize("told", ["ECONNRESET", "Connection reset by peer",
                                  "ConnectionResetError", "connection reset"])
def test_the_abort_exercise_accepts_the_ways_to_say_it(told):
    assert checks.check("real-abort", received=200, sends="RST", told=told)
    assert checks.check("real-abort", received=200, sends="RST+ACK", told=told)


@pytest.mark.parametrize("answer, hint", [
    ({"received": 1000}, "only with close()"),
    ({"received": 0}, "travel ahead of the RST"),
    ({"received": 800}, "never arrives"),
    ({"sends": "FIN"}, "orderly release"),
    ({"sends": "nothing"}, "half-open"),
    ({"sends": "xyz"}, "Name the control bits"),
    ({"told": "b''"}, "ECONNRESET"),
    ({"told": "EOF"}, "what close() gives"),
    ({"told": "connection refused"}, "nobody listening"),
])
def test_the_abort_exercise_explains_each_likely_mistake(answer, hint):
    full = {"received": 200, "sends": "RST", "told": "connection reset", **answer}
    fb = checks.check("real-abort", **full)
    assert not fb and hint in fb.text()
    assert fb.score == pytest.approx(2 / 3)


@linux_only
def test_close_with_unread_data_resets_as_lesson_07_says():
    """08 (section 1): Linux answers unread data at close() with RST, not FIN (RFC 1122
    §4.2.2.13): the peer's next recv() fails with ECONNRESET."""
    with socket.socket() as lst:
        lst.bind(("127.0.0.1", 0))
        lst.listen(1)
        a = socket.create_connection(lst.getsockname(), timeout=2)
        with a:
            b, _ = lst.accept()
            a.sendall(b"unread")
            time.sleep(0.05)
            b.close()                                 # B never read A's bytes
            with pytest.raises(ConnectionResetError):
                a.recv(10)
