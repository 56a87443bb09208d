"""Lesson 11, connection management in production: its exercises, its experiment, and its
kernel stories (live on Linux, and replayed from the recording everywhere)."""

from __future__ import annotations

import pytest

from tcplab import State, checks, real
from tcplab.exercises import production as exercises
from tcplab.experiments import syn_flood_experiment, syn_flood_run
from tcplab.real import production, recording

S = State


# --------------------------------------------------------------------------- the exercises

def test_port_rate_right_and_its_typical_mistakes():
    assert exercises.port_rate() == pytest.approx(28232 / 60)
    for right in (470, 471, 470.5, 28232 / 60):
        assert checks.check("production-port-rate", rate=right).correct, right
    fb = checks.check("production-port-rate", rate=28232)
    assert not fb.correct and "divide by 60" in fb.lines[0]
    fb = checks.check("production-port-rate", rate=235)
    assert not fb.correct and "TCP_TIMEWAIT_LEN" in fb.lines[0]
    fb = checks.check("production-port-rate", rate=1092)
    assert not fb.correct and "ephemeral range" in fb.lines[0]
    fb = checks.check("production-port-rate", rate="470")
    assert not fb.correct and "should be a number" in fb.lines[0]
    assert not checks.check("production-port-rate", rate=400).correct


def test_close_wait_side_and_call():
    assert exercises.close_wait_story() == ("server", S.CLOSE_WAIT)
    assert checks.check("production-close-wait", side="server", call="close").correct
    assert checks.check("production-close-wait", side=" Server ", call="sock.close()").correct
    fb = checks.check("production-close-wait", side="client", call="close")
    assert not fb.correct and "FIN-WAIT-2" in fb.lines[0]
    fb = checks.check("production-close-wait", side="server", call="shutdown")
    assert not fb.correct and "file descriptor" in fb.lines[0]
    fb = checks.check("production-close-wait", side="server", call="recv()")
    assert not fb.correct and "end of file" in fb.lines[0]


def test_syn_flood_states():
    assert exercises.flood_story(False) is S.SYN_SENT
    assert exercises.flood_story(True) is S.ESTABLISHED
    assert checks.check("production-syn-flood", without="SYN-SENT", cookies="ESTABLISHED").correct
    fb = checks.check("production-syn-flood", without="ESTABLISHED", cookies="ESTABLISHED")
    assert not fb.correct and "SYN queue" in fb.lines[0]
    fb = checks.check("production-syn-flood", without="CLOSED", cookies="ESTABLISHED")
    assert not fb.correct and "not a RST" in fb.lines[0]
    fb = checks.check("production-syn-flood", without="SYN-SENT", cookies="SYN-SENT")
    assert not fb.correct and "rebuilds" in fb.lines[0]


def test_linger_zero_rst_and_lost_bytes():
    run = real.tcplab_release("abort")
    assert run.control == "RST" and run.lost == 800
    assert checks.check("production-linger", control="rst", lost=800).correct
    fb = checks.check("production-linger", control="FIN", lost=800)
    assert not fb.correct and "orderly release" in fb.lines[0]
    fb = checks.check("production-linger", control="RST", lost=0)
    assert not fb.correct and "discards" in fb.lines[0]
    fb = checks.check("production-linger", control="RST", lost=1000)
    assert not fb.correct and "inside B's window" in fb.lines[0]


def test_the_lessons_exercises_are_listed_in_order():
    keys = [e.key for e in checks.exercises() if e.lesson == "11-production"]
    assert keys == ["production-port-rate", "production-close-wait", "production-syn-flood",
                    "production-linger"]


# --------------------------------------------------------------------------- the experiment

def test_syn_flood_cookies_let_every_client_in_and_no_cookies_lose_them():
    result = syn_flood_experiment(rates=(0, 1, 8), n=10)
    assert result[0].without == result[0].with_cookies == 10
    assert result[8].with_cookies == 10 and result[8].without <= 2
    assert result[1].without < 10
    assert all(r.without <= r.with_cookies for r in result.rows)
    svg = result.svg()
    assert svg.startswith("<svg") and svg.count("<polyline") == 2
    assert "got in, no cookies" in repr(result) and "<svg" in result._repr_html_()


def test_syn_flood_run_is_deterministic_and_counts_its_syns():
    one, two = syn_flood_run(4.0, False, seed=3), syn_flood_run(4.0, False, seed=3)
    assert one == two and one.spoofed > 0
    assert syn_flood_run(0.0, False).spoofed == 0
    with pytest.raises(ValueError):
        syn_flood_run(-1.0, True)
    with pytest.raises(ValueError):
        syn_flood_experiment(n=0)


# --------------------------------------------------------------------------- the kernel

def _check_stories(seen: dict) -> None:
    cw = seen["close-wait"]
    assert cw.count("server", "CLOSE_WAIT") == 5 and cw.count("clients", "FIN_WAIT2") == 5
    tw = seen["time-wait"]
    assert tw.count("clients", "TIME_WAIT") == 5 and tw.count("server", "TIME_WAIT") == 0
    assert tw.facts["time_wait"] == real.LINUX_TIME_WAIT and tw.facts["ports"] > 0
    reuse = seen["reuse"]
    assert reuse.count("server", "TIME_WAIT") == 1
    assert reuse.facts["without"] == "EADDRINUSE" and reuse.facts["both_with"] == "listening"
    backlog = seen["backlog"]
    assert backlog.count("server", "ESTABLISHED") == 2          # backlog + 1
    assert backlog.count("clients", "SYN_SENT") == 3


def test_kernel_stories_replayed(monkeypatch):
    monkeypatch.setenv("TCPLAB_REAL", "replay")
    seen = {s: real.trouble(s) for s in production.STORIES}
    _check_stories(seen)
    assert all(s.replay.startswith("Replay: recorded on Linux") for s in seen.values())
    assert repr(seen["backlog"]).startswith("Replay:")
    assert "Replay" not in seen["backlog"].summary()
    assert "471 new connections per second" in seen["time-wait"].summary()
    assert "net.ipv4.tcp_syncookies = 1" in real.switches()
    assert recording.load()["production"]["sysctls"]["net.ipv4.tcp_syncookies"] == "1"


def test_kernel_stories_replay_where_sockets_are_refused(monkeypatch):
    """The browser edition has no sockets: there the stories replay, without asking."""
    import socket as socket_module

    def refuse(*args, **kwargs):
        raise OSError("no sockets here")
    monkeypatch.delenv("TCPLAB_REAL", raising=False)
    monkeypatch.setattr(socket_module, "socket", refuse)
    seen = real.trouble("close-wait")
    assert seen.replay and seen.count("server", "CLOSE_WAIT") == 5
    assert "net.ipv4.tcp_syncookies = 1" in real.switches()


@pytest.mark.skipif(not real.supported(), reason="needs Linux's /proc/net/tcp")
def test_kernel_stories_live(monkeypatch):
    monkeypatch.setenv("TCPLAB_REAL", "live")
    seen = {s: real.trouble(s) for s in production.STORIES}
    _check_stories(seen)
    assert all(s.replay == "" for s in seen.values())
    assert production.port_range() is not None


def test_unknown_story_is_refused():
    with pytest.raises(ValueError, match="close-wait"):
        real.trouble("time_wait")
    with pytest.raises(ValueError):
        production.kernel_story("flood")


# --------------------------------------------------------------------------- still current, replayed

@pytest.mark.skipif(not real.supported(), reason="needs Linux's /proc/net/tcp")
def test_the_recording_is_what_this_kernel_does_now(monkeypatch):
    """Play the stories live again: the counts and outcomes must be the recorded ones
    (re-record with `python tools/record_real.py --only production` when they change)."""
    monkeypatch.setenv("TCPLAB_REAL", "live")
    fresh = production.record_data()["stories"]
    recorded = recording.load()["production"]["stories"]
    assert {s: (d["counts"], d["facts"]) for s, d in fresh.items()} == \
        {s: (d["counts"], d["facts"]) for s, d in recorded.items()}


def test_lesson_11_shows_the_same_replayed(monkeypatch):
    """The notebook's kernel cells print the same summaries live (the committed outputs, made
    here) and replayed (the browser edition's and restricted servers')."""
    import json
    from pathlib import Path

    monkeypatch.setenv("TCPLAB_REAL", "replay")
    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" /
                     "11-production.ipynb").read_text("utf-8"))
    shown = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and source.startswith('print(real.trouble("'):
            story = source.split('"')[1]
            shown[story] = "".join("".join(o.get("text", "")) for o in cell["outputs"])
    assert set(shown) == set(production.STORIES)
    for story, text in shown.items():
        assert text == real.trouble(story).summary() + "\n", story


# --------------------------------------------------------------------------- a variant per student

def _variant(key, **numbers):
    from tcplab.grading.variants import Variant
    ex = next(e for e in checks.exercises() if e.key == key)
    return ex, Variant("some student", key, {**dict(ex.variant("demo")), **numbers})


def test_syn_flood_with_room_in_the_queue_lets_the_client_in_without_cookies():
    """Backlog 25: the 20 spoofed SYNs leave 5 places; the client's SYN takes one."""
    assert exercises.flood_story(False, 25) is S.ESTABLISHED
    assert exercises.flood_story(False, 20) is S.SYN_SENT
    ex, v = _variant("production-syn-flood", backlog=25)
    assert ex.checker(v, without="ESTABLISHED", cookies="ESTABLISHED").correct
    fb = ex.checker(v, without="SYN-SENT", cookies="ESTABLISHED")
    assert not fb.correct and "leave room" in fb.text()


def test_port_rate_of_another_range_and_linux_defaults_rate_named():
    ex, v = _variant("production-port-rate", low=20000, high=50999)     # 31000 ports
    assert ex.checker(v, rate=517).correct and ex.checker(v, rate=516.7).correct
    fb = ex.checker(v, rate=471)
    assert not fb.correct and "Linux's default range" in fb.text()


def test_linger_with_other_bytes_and_window():
    ex, v = _variant("production-linger", sent=3000, window=450)
    assert real.tcplab_release("abort", sent=3000, window=450).lost == 2550
    assert ex.checker(v, control="RST", lost=2550).correct
    assert not ex.checker(v, control="RST", lost=800).correct
