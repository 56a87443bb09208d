"""The ServerLab, driven headless: clicks and the picker, asserted on the library and the SVG."""

import re

import pytest

from tcplab import State
from tcplab.session_many import ServerConfig
from tcplab.widgets import ServerLab

S = State


def highlighted(svg):
    """The states the state-diagram SVG highlights (from its CSS)."""
    return set(re.findall(r"#state-([A-Z_0-9]+) path \{fill: #fff3c4", svg))


def two_connections():
    lab = ServerLab()
    lab.connect_button.click()
    lab.connect_button.click()
    lab.run_button.click()
    return lab


def test_a_new_connection_is_listed_and_chosen():
    lab = ServerLab()
    assert lab.picker.options == () and lab.chosen is None
    assert "0 connections" in lab.summary_line.value
    lab.connect_button.click()
    (label, key), = lab.picker.options
    assert lab.picker.value == key and label.startswith(f"B:80 ← A:{key[1]}")
    assert highlighted(lab.panels["client"].diagram.value) == {"SYN_SENT"}
    assert "no connection" in lab.panels["server"].title.value
    lab.step_button.click()             # the SYN arrives: the server's end exists
    assert highlighted(lab.panels["server"].diagram.value) == {"SYN_RECEIVED"}


def test_the_picker_drives_the_diagrams_the_buttons_and_the_ladder():
    lab = two_connections()
    first, second = [k for _l, k in lab.picker.options]
    assert lab.picker.value == second       # the newest is shown
    lab.accept_button.click()               # the oldest is accepted, and shown
    assert lab.picker.value == first
    assert not lab.panels["server"].buttons["close"].disabled
    lab.panels["server"].buttons["close"].click()
    lab.step_button.click()
    assert lab.session.pair(*first).server.state is S.FIN_WAIT_1
    assert highlighted(lab.panels["server"].diagram.value) == {"FIN_WAIT_1"}
    assert highlighted(lab.panels["client"].diagram.value) == {"CLOSE_WAIT"}
    assert f"{first[1]}→80" in lab.ladder.value or f"80→{first[1]}" in lab.ladder.value
    assert f"{second[1]}" not in lab.ladder.value        # only the chosen connection
    lab.picker.value = second
    assert highlighted(lab.panels["server"].diagram.value) == {"ESTABLISHED"}
    assert "not accepted yet" in lab.panels["server"].title.value
    assert all(b.disabled for b in lab.panels["server"].buttons.values())
    assert f"{second[1]}→80" in lab.ladder.value
    lab.ladder_scope.value = "all"
    assert f"{first[1]}→80" in lab.ladder.value and f"{second[1]}→80" in lab.ladder.value
    assert "80/A:" in lab.ladder.value          # the server's state boxes name their socket


def test_the_summary_counts_states_and_queues():
    lab = two_connections()
    text = lab.summary_line.value
    assert "2 connections (2 ESTABLISHED)" in text and "accept queue 2" in text
    lab.accept_button.click()
    lab.accept_button.click()
    assert "accept queue 0" in lab.summary_line.value and lab.accept_button.disabled


def test_undo_and_reset():
    lab = two_connections()
    before = (lab.picker.options, lab.ladder.value)
    lab.connect_button.click()
    assert len(lab.picker.options) == 3
    lab.undo_button.click()
    assert (lab.picker.options, lab.ladder.value) == before
    lab.reset_button.click()
    assert lab.picker.options == () and lab.undo_button.disabled
    lab.undo_button.click()
    assert "Nothing to undo" in lab.message.value


def test_a_refused_click_shows_words_and_changes_nothing():
    lab = two_connections()
    actions = list(lab.session.actions)
    lab._guarded(lambda: lab._call("server", "close"))      # not accepted: refused
    assert "has not accepted" in lab.message.value
    assert lab.session.actions == actions
    lab.run_button.click()
    assert "nothing to run" in lab.message.value


def test_every_button_has_an_accessible_name():
    lab = two_connections()
    buttons = [lab.connect_button, lab.accept_button, lab.step_button, lab.run_button,
               lab.previous_button, lab.next_button,
               lab.undo_button, lab.reset_button]
    buttons += [b for p in lab.panels.values() for b in p.buttons.values()]
    assert all(b.description and b.tooltip for b in buttons)
    assert lab.picker.description and lab.client_choice.description


def test_several_clients_from_the_client_choice():
    lab = ServerLab(ServerConfig(clients=("A", "C")))
    lab.client_choice.value = "C"
    lab.connect_button.click()
    assert lab.picker.value[0] == "C" and lab.chosen.client.local[0] == "C"


def test_config_or_options_not_both():
    with pytest.raises(TypeError, match="not both"):
        ServerLab(ServerConfig(), seed=1)


def test_saved_without_a_kernel_it_shows_its_pictures():
    lab = two_connections()
    bundle = lab._repr_mimebundle_()
    assert bundle["text/plain"] == "ServerLab at t=0.300 s: 2 connections"
    assert bundle["text/html"].count("<img") == 3
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_replayed_actions_open_the_lab_where_the_story_is():
    lab = ServerLab(actions=[("connect",), ("connect",), ("run", 1), ("accept",)])
    assert len(lab.picker.options) == 2 and "accept queue 1" in lab.summary_line.value


def test_previous_and_next_walk_the_picker():
    lab = two_connections()
    first, second = [k for _l, k in lab.picker.options]
    assert lab.picker.value == second and lab.next_button.disabled
    lab.previous_button.click()
    assert lab.picker.value == first and lab.previous_button.disabled
    assert not lab.next_button.disabled
    lab.next_button.click()
    assert lab.picker.value == second


def test_the_lab_speaks_chinese_and_keeps_the_rfc_names(chinese):
    lab = two_connections()
    assert "服务器 B:80：2 个连接（2 ESTABLISHED）" in lab.summary_line.value
    assert "全连接队列" in lab.summary_line.value
    assert "尚未 accept" in lab.picker.options[0][0]
    assert lab.next_button.description == "下一个" and lab.accept_button.description == "accept()"
    lab._guarded(lambda: lab._call("server", "close"))
    assert "还没有接受" in lab.message.value
