"""The labs, driven headless: clicks and value changes, asserted on the library and the SVG."""

import re
import xml.etree.ElementTree as ET

import pytest

from tcplab import State
from tcplab.fsm import Event
from tcplab.scenarios import SCENARIOS, get, names, play
from tcplab.widgets import ConnectionLab, LabConfig, Session, StateMachineExplorer

S = State


def click(lab, host, call):
    lab.panels[host].buttons[call].click()


def highlighted(svg):
    """The states the state-diagram SVG highlights (from its CSS)."""
    return set(re.findall(r"#state-([A-Z_0-9]+) path \{fill: #fff3c4", svg))


def snapshot(lab):
    net = lab.net
    return ([(h.name, h.state, list(h.history), h.received) for h in net.hosts.values()],
            [(r.time, r.kind, r.host, r.segment, r.state, r.detail) for r in net.trace],
            list(net.sent), net.now, lab.ladder.value, lab.event_log.value,
            [p.diagram.value for p in lab.panels.values()])


# ---------------------------------------------------------------- ConnectionLab

def test_handshake_from_the_lab_alone():
    lab = ConnectionLab()
    click(lab, "B", "listen")
    click(lab, "A", "connect")
    for _ in range(3):
        lab.step_button.click()
    assert lab.host("A").state is lab.host("B").state is S.ESTABLISHED
    assert highlighted(lab.panels["A"].diagram.value) == {"ESTABLISHED"}
    assert highlighted(lab.panels["B"].diagram.value) == {"ESTABLISHED"}
    assert "t = 0.300 s" in lab.clock.value
    log = lab.event_log.value
    assert "SYN, seq=x" in log and "SYN+ACK, seq=y, ack=x+1" in log
    assert "ACK, seq=x+1, ack=y+1" in log
    assert lab.step_button.disabled and lab.run_button.disabled   # nothing left in flight


def test_whole_close_from_the_lab_alone():
    lab = ConnectionLab.from_scenario("established")
    click(lab, "A", "close")
    lab.step_button.click()                 # FIN arrives: B CLOSE-WAIT
    lab.step_button.click()                 # ACK arrives: A FIN-WAIT-2
    assert (lab.host("A").state, lab.host("B").state) == (S.FIN_WAIT_2, S.CLOSE_WAIT)
    click(lab, "B", "send")                 # half-close: B still sends
    click(lab, "B", "close")
    lab.run_button.click()
    assert lab.host("A").received == b"hello"
    assert lab.host("A").state is lab.host("B").state is S.CLOSED
    assert lab.host("A").history[-2:] == [S.TIME_WAIT, S.CLOSED]


def test_only_legal_buttons_are_enabled_by_default():
    lab = ConnectionLab()
    enabled = {c for c, b in lab.panels["A"].buttons.items() if not b.disabled}
    assert enabled == {"listen", "connect"}
    lab.legal_only.value = False
    assert not any(b.disabled for b in lab.panels["A"].buttons.values())
    assert lab.panels["A"].buttons["close"].button_style == "danger"


def test_illegal_click_shows_the_message_and_changes_nothing():
    lab = ConnectionLab.from_scenario("established")
    lab.legal_only.value = False
    before = snapshot(lab)
    actions = list(lab.session.actions)
    click(lab, "A", "connect")
    assert "connect() is not legal in state ESTABLISHED" in lab.message.value
    assert "Legal calls in ESTABLISHED: send(), close(), abort()" in lab.message.value
    assert snapshot(lab) == before
    assert lab.session.actions == actions
    lab.step_button.click() if not lab.step_button.disabled else click(lab, "A", "send")
    assert lab.message.value == ""           # the next good action clears it


def test_drop_hold_duplicate_next():
    lab = ConnectionLab.from_scenario("established")
    lab.fault_buttons["drop"].click()
    assert lab.fault_buttons["drop"].button_style == "warning"
    click(lab, "A", "send")
    assert lab.fault_buttons["drop"].button_style == ""          # used up
    assert [r.kind for r in lab.net.trace][-1] == "drop"
    lab.fault_buttons["hold"].click()
    click(lab, "B", "send")
    assert len(lab.held_box.children) == 1
    assert "release B→A ACK, seq=y+1, ack=x+1, len=5" == lab.held_box.children[0].description
    lab.fault_buttons["duplicate"].click()
    lab.run_button.click()                  # A retransmits its data: that copy is duplicated
    assert lab.host("B").received == b"hello"
    assert any(r.kind == "duplicate" for r in lab.net.trace)
    lab.held_box.children[0].click()        # release B's data
    assert lab.held_box.children == ()
    lab.run_button.click()
    assert lab.host("A").received == b"hello"


def test_arming_twice_disarms():
    lab = ConnectionLab.from_scenario("established")
    lab.fault_buttons["drop"].click()
    lab.fault_buttons["drop"].click()
    assert lab.fault_buttons["drop"].button_style == ""
    click(lab, "A", "send")
    lab.run_button.click()
    assert lab.host("B").received == b"hello"


def test_undo_and_reset_restore_exactly():
    lab = ConnectionLab.from_scenario("handshake")
    states = [snapshot(lab)]
    for _ in range(3):
        lab.step_button.click()
        states.append(snapshot(lab))
    lab.fault_buttons["drop"].click()
    states.append(snapshot(lab))
    click(lab, "A", "send")
    states.append(snapshot(lab))
    lab.loss.value = 0.25
    states.append(snapshot(lab))
    for expected in reversed(states[:-1]):
        lab.undo_button.click()
        assert snapshot(lab) == expected
    assert lab.loss.value == 0.0
    lab.run_button.click()
    lab.reset_button.click()
    fresh = ConnectionLab.from_scenario("handshake")
    fresh.reset_button.click()
    assert snapshot(lab) == snapshot(fresh)
    assert lab.session.actions == []


def test_sliders_change_the_network():
    lab = ConnectionLab()
    lab.delay.value = 0.5
    assert lab.net.delay == 0.5
    click(lab, "B", "listen")
    click(lab, "A", "connect")
    lab.step_button.click()
    assert lab.net.now == pytest.approx(0.5)


def test_play_steps_and_stops_when_idle():
    lab = ConnectionLab.from_scenario("handshake")
    lab.play.playing = True
    for v in range(1, 6):
        lab.play.value = v
    assert lab.host("B").state is S.ESTABLISHED
    assert lab.play.playing is False


def test_numeric_notation_switch():
    lab = ConnectionLab.from_scenario("established")
    lab.notation.value = "numeric"
    assert "SYN seq=100" in lab.event_log.value
    assert "SYN+ACK seq=300 ack=101" in lab.event_log.value


def test_static_snapshot_for_readers_without_a_kernel():
    lab = ConnectionLab.from_scenario("established")
    bundle = lab._repr_mimebundle_()
    assert bundle["text/plain"] == "ConnectionLab at t=1.000 s: A ESTABLISHED, B ESTABLISHED"
    assert "application/vnd.jupyter.widget-view+json" in bundle
    snapshot = bundle["text/html"]
    # pictures as images: an untrusted notebook, GitHub and nbconvert all show those
    assert snapshot.count('src="data:image/svg+xml;base64,') == 3
    assert "<svg" not in snapshot
    assert "ESTABLISHED" in snapshot
    import base64
    first = snapshot.split('base64,')[1].split('"')[0]
    assert base64.b64decode(first).decode().startswith("<svg")


def test_rapid_clicking_leaves_no_broken_state():
    lab = ConnectionLab.from_scenario("start")
    lab.legal_only.value = False
    for i in range(150):
        host = "AB"[i % 2]
        call = ["listen", "connect", "send", "close", "abort"][(i * 7) % 5]
        click(lab, host, call)
        if i % 2 == 0:
            lab.step_button.click()
        if i % 11 == 0:
            lab.undo_button.click()
    for h in lab.net.hosts.values():
        assert h.state in State
    lab.run_button.click()
    assert lab.net.idle


def test_bad_config_is_explained():
    with pytest.raises(ValueError, match="notation"):
        ConnectionLab(notation="binary")
    with pytest.raises(ValueError, match="loss must be a probability"):
        ConnectionLab(loss=2)
    with pytest.raises(TypeError, match="not both"):
        ConnectionLab(LabConfig(), seed=3)


# ---------------------------------------------------------------- scenarios

@pytest.mark.parametrize("name", names())
def test_every_scenario_opens_a_lab(name):
    lab = ConnectionLab.from_scenario(name)
    session = play(name)
    assert [h.state for h in lab.session.hosts] == [h.state for h in session.hosts]
    assert get(name).title and get(name).story


def test_stale_syn_scenarios_tell_the_lecture():
    three = ConnectionLab.from_scenario("stale-syn")
    three.held_box.children[0].click()
    three.run_button.click()
    assert three.host("B").state is S.LISTEN
    assert three.host("B").history[-2:] == [S.SYN_RECEIVED, S.LISTEN]
    two = ConnectionLab.from_scenario("stale-syn-two-way")
    two.held_box.children[0].click()
    two.run_button.click()
    assert two.host("B").state is S.ESTABLISHED


def test_unknown_scenario():
    with pytest.raises(ValueError, match="no scenario named 'nope'; there are: start"):
        get("nope")


def test_session_replay_is_exact():
    s = Session(LabConfig(seed=5, loss=0.3, jitter=0.05),
                [("call", "B", "listen"), ("call", "A", "connect", "B"), ("run", 30.0),
                 ("call", "A", "send", b"x" * 3000), ("run",)])
    t = Session(s.config, s.actions)
    assert [(r.time, r.kind, r.segment) for r in s.net.trace] == \
        [(r.time, r.kind, r.segment) for r in t.net.trace]


# ---------------------------------------------------------------- StateMachineExplorer

def test_explorer_walks_the_server_path():
    x = StateMachineExplorer()
    for e in (Event.LISTEN, Event.RCV_SYN, Event.RCV_ACK, Event.RCV_FIN, Event.CLOSE,
              Event.RCV_ACK):
        assert x.fire(e)
    assert x.state is S.CLOSED
    assert x.walker.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED,
                                S.CLOSE_WAIT, S.LAST_ACK, S.CLOSED]
    style = re.search(r"<style>(.*?)</style>", x.diagram.value).group(1)
    assert "#edge-CLOSE_WAIT-LAST_ACK path" in style
    assert "LAST-ACK → CLOSED" in x.path_text.value


def test_explorer_reports_an_illegal_event_and_changes_nothing():
    x = StateMachineExplorer()
    x.buttons[Event.RCV_FIN].click()
    assert x.state is S.CLOSED
    assert "not legal in state CLOSED" in x.message.value
    assert x.walker.transitions == []
    x.buttons[Event.CONNECT].click()
    x.buttons[Event.RCV_FIN_ACK].click()
    assert x.state is S.SYN_SENT
    assert "Legal events in SYN-SENT" in x.message.value


def test_explorer_fin_ack_in_fin_wait_1():
    x = StateMachineExplorer()
    for e in (Event.CONNECT, Event.RCV_SYN_ACK, Event.CLOSE, Event.RCV_FIN_ACK):
        x.fire(e)
    assert x.state is S.TIME_WAIT
    assert highlighted(x.diagram.value) == {"TIME_WAIT"}


def test_explorer_passive_and_active_syn_received():
    x = StateMachineExplorer()
    for e in (Event.LISTEN, Event.RCV_SYN, Event.RCV_RST):
        x.fire(e)
    assert x.state is S.LISTEN
    x.reset()
    for e in (Event.CONNECT, Event.RCV_SYN, Event.RCV_RST):
        x.fire(e)
    assert x.state is S.CLOSED


def test_explorer_undo_and_legal_only():
    x = StateMachineExplorer()
    x.fire(Event.CONNECT)
    x.fire(Event.RCV_SYN_ACK)
    x.undo_button.click()
    assert x.state is S.SYN_SENT and x.walker.history == [S.CLOSED, S.SYN_SENT]
    x.legal_only.value = True
    enabled = {e for e, b in x.buttons.items() if not b.disabled}
    assert enabled == {Event.SEND, Event.CLOSE, Event.ABORT, Event.RCV_SYN, Event.RCV_SYN_ACK,
                       Event.RCV_RST, Event.TIMEOUT_RETRANSMIT, Event.GIVE_UP,
                       Event.TIMEOUT_USER}
    x.reset_button.click()
    assert x.state is S.CLOSED and x.walker.transitions == []


# ---------------------------------------------------------------- isn-guess: injecting a segment

def test_isn_guess_lab_opens_with_the_forged_rst_on_the_wire():
    from tcplab import stories
    g = stories.isn_guess("clock")
    lab = ConnectionLab.from_scenario("isn-guess")
    last = lab.net.trace[-1]
    assert (last.kind, last.host, last.segment) == ("inject", "A", stories.forged_rst(g.guess))
    assert lab.net.now == stories.ISN_FORGED_AT
    assert lab.host("A").iss == g.actual                   # the story's A, the story's ISN
    assert lab.host("A").state is lab.host("B").state is S.ESTABLISHED
    assert "RST, seq=x+1" in lab.event_log.value and "inject" in lab.event_log.value
    assert 'class="seg inflight injected"' in lab.ladder.value
    lab.step_button.click()                                 # the forged RST reaches B
    assert lab.host("B").state is g.b.state is S.CLOSED
    assert lab.host("B").error == g.b.error and lab.host("B").error.startswith("connection reset by A")
    assert lab.host("A").state is S.ESTABLISHED            # A knows nothing of it
    assert 'class="seg arrive injected"' in lab.ladder.value


def test_isn_guess_rfc6528_lab_the_guess_misses():
    from tcplab import stories
    g = stories.isn_guess("rfc6528")
    lab = ConnectionLab.from_scenario("isn-guess-rfc6528")
    assert lab.host("A").iss == g.actual != g.guess
    assert lab.net.trace[-1].segment == stories.forged_rst(g.guess)
    lab.run_button.click()
    assert lab.host("B").state is g.b.state is S.ESTABLISHED and lab.host("B").error is None
    ignored = [r for r in lab.net.trace if r.kind == "ignore" and r.host == "B"]
    assert [r.segment for r in ignored] == [stories.forged_rst(g.guess)]


def test_undo_and_reset_are_exact_with_an_injected_segment():
    from tcplab import Flag, Segment
    lab = ConnectionLab.from_scenario("isn-guess")
    after = snapshot(lab)
    lab.undo_button.click()                                 # takes the injection back
    before = snapshot(lab)
    assert not any(r.kind == "inject" for r in lab.net.trace)
    lab.inject(get("isn-guess").actions[-1][1])            # the same RST again
    assert snapshot(lab) == after
    lab.step_button.click()
    lab.undo_button.click()
    assert snapshot(lab) == after
    lab.undo_button.click()
    assert snapshot(lab) == before
    # a segment made up on the spot, also in a fresh lab: replay repeats it exactly
    lab = ConnectionLab.from_scenario("established")
    odd = Segment("A", "B", Flag.ACK, 101, 301, b"forged")
    lab.inject(odd)
    lab.run_button.click()
    assert lab.host("B").received == b"forged"
    again = ConnectionLab(lab.session.config, lab.session.actions)
    assert snapshot(again) == snapshot(lab)
    lab.reset_button.click()
    fresh = ConnectionLab()
    assert snapshot(lab) == snapshot(fresh)


def test_the_inject_action_refuses_bad_input_in_words():
    from tcplab import Flag, Segment
    s = play("established")
    actions = list(s.actions)
    with pytest.raises(ValueError, match=r"takes one segment.*got 0 arguments"):
        s.do("inject")
    with pytest.raises(ValueError, match="got 2 arguments"):
        s.do("inject", Segment("A", "B", Flag.RST, 101, 0), "again")
    with pytest.raises(TypeError, match=r"takes a tcplab.Segment.*got 'RST seq=101'"):
        s.do("inject", "RST seq=101")
    assert s.actions == actions and not any(r.kind == "inject" for r in s.net.trace)
    lab = ConnectionLab.from_scenario("established")
    with pytest.raises(TypeError, match="tcplab.Segment"):
        lab.inject(("A", "B", "RST"))
    assert lab.session.actions == list(get("established").actions)
    # to a name with no host behind it: legal, and lost (the trace says so)
    s.do("inject", Segment("A", "P", Flag.RST, 1, 0))
    s.do("run")
    assert [r.kind for r in s.net.trace[-2:]] == ["inject", "unroutable"]


def test_lab_config_chooses_isns_for_both_hosts():
    from tcplab.isn import KeyedIsn, clock_isn
    s = Session(LabConfig(iss="clock"), get("handshake").actions + (("run",),))
    assert (s.host("A").iss, s.host("B").iss) == (clock_isn(0.0), clock_isn(0.1))
    s = Session(LabConfig(iss="rfc6528", seed=4), get("handshake").actions + (("run",),))
    assert s.host("A").iss == KeyedIsn.from_seed(4, "A")(0.0, "A", "B")
    assert LabConfig(iss=(7, "clock")).host_iss() == (7, "clock")
    with pytest.raises(ValueError, match="'clock' or 'rfc6528'; got 'md5'"):
        Session(LabConfig(iss="md5"))
    with pytest.raises(ValueError, match="iss gives 1 ISNs for 2 hosts A, B"):
        Session(LabConfig(iss=(100,)))
