"""tcplab.real against this machine's kernel: the states it reports, 127.0.0.1 only,
every socket closed (also when a step fails or is interrupted), no process left behind,
and a clear sentence where the kernel's states cannot be read."""

from __future__ import annotations

import os
import socket
import sys
import time

import pytest

from tcplab import State, checks, real
from tcplab.real import kernel

S = State
_needs_linux = pytest.mark.skipif(not real.supported(),
                                  reason="needs Linux's TCP_INFO and /proc/net/tcp (or ss)")


def linux_only(test):
    """A test that opens real sockets on 127.0.0.1: Linux only, and not in `make check`."""
    return pytest.mark.slow(_needs_linux(test))


# --------------------------------------------------------------------------- helpers

@pytest.fixture(autouse=True)
def live_code(monkeypatch):
    """These tests are about the live code, also where it shows little or nothing: they run
    it with TCPLAB_REAL=live (tests/test_replay.py tests the decision and the replays)."""
    monkeypatch.setenv("TCPLAB_REAL", "live")


def live(make):
    """``make()`` with TCPLAB_REAL=live, for the module fixtures (run once per module)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TCPLAB_REAL", "live")
        return make()


@pytest.fixture
def sockets(monkeypatch):
    """Every socket.socket created while the test runs (accept()'s included)."""
    made: list[socket.socket] = []
    init = socket.socket.__init__

    def record(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(socket.socket, "__init__", record)
    return made


def children() -> list[int]:
    """Processes whose parent is this one (Linux: read from /proc)."""
    me, out = os.getpid(), []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                out.append(int(entry))
    return out


def all_closed(made) -> bool:
    return bool(made) and all(s.fileno() == -1 for s in made)


@pytest.fixture(scope="module")
def story():
    if not real.supported():
        pytest.skip("needs Linux's TCP_INFO and /proc/net/tcp (or ss)")
    return live(real.real_story)


# --------------------------------------------------------------------------- the kernel's states

@linux_only
def test_the_whole_story_is_seen(story):
    assert story.shown and story.error is None
    assert [s.story.key for s in story.steps] == [s.key for s in real.STORY]
    assert all(s.settled for s in story.steps), [(s.story.key, s.waited) for s in story.steps]


@linux_only
def test_listen_shows_listen(story):
    b = story.step("listen").last("B")
    assert b.socket is S.LISTEN and b.listener and b.table is S.LISTEN
    assert story.kernel("A", "listen") is S.CLOSED


@linux_only
def test_both_established_after_accept(story):
    for side in "AB":
        obs = story.step("accept").last(side)
        assert obs.socket is S.ESTABLISHED and obs.table is S.ESTABLISHED, side


@linux_only
def test_before_accept_the_listener_listens_and_the_connection_is_established(story):
    b = story.step("connect").last("B")
    assert b.listener and b.socket is S.LISTEN
    assert b.table is S.ESTABLISHED          # waiting in the listen queue


@linux_only
def test_half_close_fin_wait_2_and_close_wait(story):
    a, b = story.step("shutdown").last("A"), story.step("shutdown").last("B")
    assert a.socket is S.FIN_WAIT_2 and a.table is S.FIN_WAIT_2
    assert b.socket is S.CLOSE_WAIT and b.table is S.CLOSE_WAIT
    assert story.kernel("A", "reply") is S.FIN_WAIT_2
    assert story.kernel("B", "reply") is S.CLOSE_WAIT


@linux_only
def test_time_wait_is_in_the_table_not_in_the_socket(story):
    a = story.step("server-close").last("A")
    assert a.table is S.TIME_WAIT
    assert a.socket is S.CLOSED                  # Linux: the socket A holds says CLOSE
    assert story.step("server-close").last("B").table is None
    end = story.step("client-close").last("A")
    assert end.socket is None and end.table is S.TIME_WAIT
    assert 50.0 < story.time_wait_left() <= real.LINUX_TIME_WAIT + 0.5
    assert any("TIME-WAIT" in n.text and "60 s" in n.text for n in story.notes())


@linux_only
def test_time_wait_stays_while_the_test_looks(story):
    until = time.perf_counter() + 0.3
    while time.perf_counter() < until:
        rows = real.kernel_rows({story.client_port})
        assert any(r.remote == story.server_port and r.state is S.TIME_WAIT for r in rows)
        time.sleep(0.05)


@linux_only
def test_histories_follow_tcplabs_order(story):
    for side in "AB":
        shown = story.history(side)
        predicted = story.predicted(side)
        it = iter(predicted)
        assert all(s in it for s in shown), (side, shown, predicted)
    assert story.history("A")[-1] is S.TIME_WAIT
    assert story.history("B")[-1] is S.CLOSED


@linux_only
def test_every_difference_has_a_note(story):
    p = story.prediction
    for st in story.steps:
        for side in "AB":
            i = st.index
            entered = p.steps[i][0 if side == "A" else 1]
            end = p.ends[i][0 if side == "A" else 1]
            last = st.last(side)
            differs = (last.state is not end or any(s not in st.seen(side) for s in entered)
                       or (last.socket is not None and not last.listener
                           and last.socket is not last.state)
                       or (last.listener and last.table is not last.socket))
            if differs:
                assert story._refs(i, side), (st.story.key, side)


@linux_only
def test_the_result_prints_and_displays(story):
    text = repr(story)
    assert "TIME-WAIT" in text and "127.0.0.1" in text and "tcplab predicts" in text
    page = story._repr_html_()
    assert page.startswith("<table") and "</ol>" in page
    assert "kernel" in story.histories()
    assert "06" in story.rows().split()[3]       # the st column: TIME_WAIT


# --------------------------------------------------------------------------- 127.0.0.1 only

@linux_only
def test_only_127_0_0_1_is_ever_used(monkeypatch):
    used = []
    for name in ("bind", "connect", "connect_ex", "sendto"):
        original = getattr(socket.socket, name)

        def spy(self, address, *rest, _name=name, _original=original):
            used.append((_name, address))
            return _original(self, address, *rest)

        monkeypatch.setattr(socket.socket, name, spy)
    made = []
    init = socket.socket.__init__

    def record(self, family=-1, *args, **kwargs):
        init(self, family, *args, **kwargs)
        made.append(self.family)

    monkeypatch.setattr(socket.socket, "__init__", record)
    story = real.real_story()
    assert story.shown
    assert used and all(addr[0] == "127.0.0.1" for _, addr in used), used
    assert all(addr[1] == 0 for name, addr in used if name == "bind")     # ephemeral ports
    assert {name for name, _ in used} == {"bind", "connect"}
    assert set(made) == {socket.AF_INET}


# --------------------------------------------------------------------------- everything closed

@linux_only
def test_every_socket_is_closed_and_no_process_left(sockets):
    before = children()
    story = real.real_story()
    assert story.shown and len(sockets) >= 4       # the probe, listener, client, accepted
    assert all_closed(sockets)
    assert children() == before


@linux_only
@pytest.mark.parametrize("key", [s.key for s in real.STORY])
@pytest.mark.parametrize("failure", [RuntimeError("injected"), KeyboardInterrupt()],
                         ids=["error", "interrupt"])
def test_every_socket_is_closed_when_a_step_raises(monkeypatch, sockets, key, failure):
    method = key.replace("-", "_")
    original = getattr(kernel._Sockets, method)

    def failing(self):
        original(self)
        raise failure

    monkeypatch.setattr(kernel._Sockets, method, failing)
    with pytest.raises(type(failure)):
        real.real_story()
    assert all_closed(sockets)


@linux_only
def test_an_os_error_is_reported_not_raised(monkeypatch, sockets):
    def refused(self):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(kernel._Sockets, "reply", refused)
    story = real.real_story()
    assert not story.shown and "step 6" in story.error and "refused" in story.error
    assert all_closed(sockets)
    assert story.error in repr(story)


@linux_only
def test_interrupt_while_waiting_for_the_kernel(monkeypatch, sockets):
    calls = {"n": 0}
    original = kernel._Sockets.observe

    def observe(self, t):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return original(self, t)

    monkeypatch.setattr(kernel._Sockets, "observe", observe)
    with pytest.raises(KeyboardInterrupt):
        real.real_story()
    assert all_closed(sockets)


# --------------------------------------------------------------------------- other machines

def hide_everything(monkeypatch, tmp_path):
    monkeypatch.setattr(kernel, "PROC_NET_TCP", str(tmp_path / "no-such-file"))
    monkeypatch.delattr(socket, "TCP_INFO", raising=False)
    monkeypatch.setattr(kernel, "_ss_path", lambda: None)


def test_not_supported_when_tcp_info_and_the_table_are_hidden(monkeypatch, tmp_path, sockets):
    hide_everything(monkeypatch, tmp_path)
    assert real.supported() is False
    sup = real.support()
    assert not sup and not sup.partial
    text = real.explanation()
    assert "TCP_INFO" in text and "/proc/net/tcp" in text and "cannot show" in text
    assert "tcplab's predictions" in text
    story = real.real_story()
    assert not story.shown and story.steps == () and sockets == []
    assert text in repr(story) and "tcplab's prediction" in repr(story)
    assert html_ok(story._repr_html_())
    assert "not shown on this machine" in story.histories()
    with pytest.raises(LookupError, match="not seen"):
        story.kernel("A", "accept")


def html_ok(page: str) -> bool:
    return page.count("<table") == page.count("</table>") == 1


@pytest.mark.parametrize("system, platform_name, hint", [
    ("Darwin", "darwin", "netstat -an -p tcp"), ("Windows", "win32", "netstat -an")],
    ids=["macOS", "Windows"])
def test_macos_and_windows_are_told_what_they_cannot_see(monkeypatch, sockets, system,
                                                          platform_name, hint):
    monkeypatch.setattr(sys, "platform", platform_name)
    monkeypatch.setattr(kernel.platform, "system", lambda: system)
    monkeypatch.setattr(kernel, "_proc_works", lambda: False)
    sup = real.support()
    assert not sup.full and not sup.partial
    assert {"Darwin": "macOS"}.get(system, system) in sup.explanation
    assert hint in sup.explanation
    assert "does not have" in sup.explanation
    story = real.real_story()
    assert not story.shown and sockets == []


@linux_only
def test_the_ss_command_replaces_a_hidden_proc(monkeypatch, tmp_path):
    if kernel._ss_path() is None:
        pytest.skip("no ss command here")
    monkeypatch.setattr(kernel, "PROC_NET_TCP", str(tmp_path / "no-such-file"))
    assert real.support().table == "ss" and real.supported()
    before = children()
    story = real.real_story()
    assert story.kernel("A", "shutdown") is S.FIN_WAIT_2
    assert story.step("client-close").last("A").table is S.TIME_WAIT
    assert story.time_wait_left() is not None
    assert children() == before


@linux_only
def test_without_the_table_the_lesson_says_time_wait_is_hidden(monkeypatch, tmp_path):
    monkeypatch.setattr(kernel, "PROC_NET_TCP", str(tmp_path / "no-such-file"))
    monkeypatch.setattr(kernel, "_ss_path", lambda: None)
    sup = real.support()
    assert sup.tcp_info and sup.table is None and not sup and sup.partial
    assert "only part" in sup.explanation
    story = real.real_story(settle=0.1)
    assert story.kernel("A", "shutdown") is S.FIN_WAIT_2
    assert story.step("server-close").last("A").socket is S.CLOSED
    assert any("cannot be seen here" in n.text for n in story.notes())


# --------------------------------------------------------------------------- tcplab's side

def test_prediction_is_lesson_02s_story():
    p = real.predict()
    assert p.history_a == (S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                           S.TIME_WAIT)
    assert p.history_b == (S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED, S.CLOSE_WAIT,
                           S.LAST_ACK, S.CLOSED)
    assert p.ends[_i("shutdown")] == (S.FIN_WAIT_2, S.CLOSE_WAIT)
    assert p.ends[_i("client-close")] == (S.TIME_WAIT, S.CLOSED)
    assert p.time_wait == 60.0 and real.predict(120).time_wait == 240.0
    assert repr(p) == repr(real.predict())          # deterministic
    assert "a.close()" in repr(p)


def _i(key: str) -> int:
    return [s.key for s in real.STORY].index(key)


def test_tcp_info_states_are_linux_numbering():
    assert real.LINUX_STATES[1][1] is S.ESTABLISHED
    assert real.LINUX_STATES[6] == ("TIME_WAIT", S.TIME_WAIT)
    assert real.LINUX_STATES[10][1] is S.LISTEN
    assert {s for _, s in real.LINUX_STATES.values()} == set(State)


def test_proc_rows_are_parsed(monkeypatch, tmp_path):
    table = tmp_path / "tcp"
    table.write_text(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 0100007F:9543 0100007F:E935 06 00000000:00000000 03:0000176F 00000000     0"
        "        0 0 3 000000006d6faf32\n"
        "   1: 0100007F:E935 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
        "        0 232959 1 000000005bf57ace 100 0 0 10 0\n"
        "   2: 0A000001:9543 0100007F:E935 01 00000000:00000000 00:00000000 00000000     0"
        "        0 232959 1 000000005bf57ace 100 0 0 10 0\n")
    monkeypatch.setattr(kernel, "PROC_NET_TCP", str(table))
    monkeypatch.setattr(kernel, "_clock_ticks", lambda: 100)
    rows = real.kernel_rows({0x9543, 0xE935}, kernel.PROC_NET_TCP)
    assert [(r.local, r.remote, r.state) for r in rows] == [
        (0x9543, 0xE935, S.TIME_WAIT), (0xE935, 0, S.LISTEN)]     # not 10.0.0.1's row
    assert rows[0].timer == pytest.approx(59.99) and rows[0].name == "TIME_WAIT"


# --------------------------------------------------------------------------- exercises

def test_the_lesson_registers_its_exercises():
    keys = [e.key for e in checks.exercises("08-real-tcp")]
    assert keys == ["real-server-closes-first", "real-time-wait-length", "real-time-wait-count",
                    "real-abort"]
    for key in keys:
        assert "no answer yet" in checks.check(key).text()
        assert "checks.check(" in repr(checks.ask(key))
    assert "FIN-WAIT" not in repr(checks.ask("real-server-closes-first"))
    assert "60" not in repr(checks.ask("real-time-wait-length"))


def test_server_closes_first():
    assert checks.check("real-server-closes-first", call="shutdown(SHUT_WR)", state="FIN-WAIT-2")
    assert checks.check("real-server-closes-first", call="sock.shutdown", state=S.FIN_WAIT_2)
    fb = checks.check("real-server-closes-first", call="close()", state="CLOSE-WAIT")
    assert not fb and "RST" in fb.text() and "receives the FIN first" in fb.text()
    fb = checks.check("real-server-closes-first", call="shutdown", state="FIN-WAIT-1")
    assert not fb and fb.score == 0.5 and "acknowledged" in fb.text()
    assert "in quotes" in checks.check("real-server-closes-first", call=3, state=None).text()


def test_time_wait_length():
    assert checks.check("real-time-wait-length", tcplab=240, linux=60)
    fb = checks.check("real-time-wait-length", tcplab=120, linux=240)
    assert not fb and "one MSL" in fb.text() and "TCP_TIMEWAIT_LEN" in fb.text()


def test_time_wait_count():
    assert checks.check("real-time-wait-count", connections=30000)
    assert checks.check("real-time-wait-count", connections=30400)       # "about"
    for wrong, hint in ((500, "stays there"), (120000, "RFC 793"), (60000, "in all")):
        fb = checks.check("real-time-wait-count", connections=wrong)
        assert not fb and hint in fb.text()
    assert "a number" in checks.check("real-time-wait-count", connections="many").text()


def _variant(key, **numbers):
    from tcplab.grading.variants import Variant
    ex = next(e for e in checks.exercises() if e.key == key)
    return ex, Variant("some student", key, {**dict(ex.variant("demo")), **numbers})


def test_another_students_msl_moves_tcplabs_time_wait_and_never_linuxs():
    ex, v = _variant("real-time-wait-length", msl=45.0)
    assert ex.checker(v, tcplab=90, linux=60).correct
    fb = ex.checker(v, tcplab=90, linux=90)
    assert not fb.correct and "2MSL for msl=45 s" in fb.text()
    # no student's 2MSL or MSL is Linux's 60 s: the two answers never coincide
    from tcplab.exercises.real import _MSLS
    assert all(60.0 not in (msl, 2 * msl) for msl in _MSLS)


def test_another_students_rate_and_abort():
    ex, v = _variant("real-time-wait-count", rate=1250)
    assert ex.checker(v, connections=75000).correct
    assert not ex.checker(v, connections=30000).correct
    fb = ex.checker(v, connections=300000)
    assert not fb.correct and "RFC 793" in fb.text()
    ex, v = _variant("real-abort", sent=2500, window=350)
    assert ex.checker(v, received=350, sends="RST", told="ECONNRESET").correct
    fb = ex.checker(v, received=2500, sends="RST", told="ECONNRESET")
    assert not fb.correct and "2150 bytes still queued" in fb.text()
