"""The labs for a reader who does not see them (issue 18): every button has a name, and
each state change is said in words in the lab's ARIA live region.  Plain pytest, no
browser: tests/test_a11y_axe.py checks the same in JupyterLab with axe-core."""

from __future__ import annotations

import re

import ipywidgets as w
import pytest

from tcplab.fsm import Event
from tcplab.widgets import ConnectionLab, ServerLab, StateMachineExplorer


def said(lab) -> str:
    """The live region's words (and proof that it is a polite live region)."""
    value = lab.announce.value
    assert 'aria-live="polite"' in value and 'role="status"' in value, value
    return re.sub(r"<[^>]*>", "", value).replace("&gt;", ">")


def buttons(widget):
    if isinstance(widget, (w.Button, w.ToggleButton)):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from buttons(child)


@pytest.mark.parametrize("make", [ConnectionLab, ServerLab, StateMachineExplorer])
def test_every_button_has_a_name_and_a_tooltip(make):
    found = list(buttons(make()))
    assert len(found) >= 8
    for b in found:
        assert b.description.strip() and b.tooltip, b


def test_no_icon_only_control_is_shown():
    lab = ConnectionLab()
    assert lab.play.layout.display == "none"          # its buttons are bare icons
    lab.play_button.value = True                       # the named toggle drives it
    assert lab.play.playing is True
    lab.play.playing = False                           # the kernel stops it at the end
    assert lab.play_button.value is False


def test_the_connection_lab_says_each_state_change():
    lab = ConnectionLab()
    assert lab.announce.value == ""                    # nothing has happened yet
    lab.panels["B"].buttons["listen"].click()
    assert said(lab) == "host B: CLOSED → LISTEN t = 0.000 s"
    lab.panels["A"].buttons["connect"].click()
    lab.step_button.click()
    assert said(lab) == "host B: LISTEN → SYN-RECEIVED t = 0.100 s"
    lab.run_button.click()
    assert said(lab).startswith("host A: SYN-SENT → ESTABLISHED; "
                                "host B: SYN-RECEIVED → ESTABLISHED")
    lab.panels["A"].buttons["send"].click()            # data: no state changes
    lab.step_button.click()
    assert said(lab).startswith("No state changed.")
    lab.legal_only.value = False
    lab.panels["A"].buttons["listen"].click()          # refused: the reason is said too
    assert said(lab).startswith("No state changed. A: ") and "listen" in said(lab)


def test_the_server_lab_says_the_chosen_connection_and_its_changes():
    lab = ServerLab()
    lab.connect_button.click()
    assert said(lab).startswith(lab.picker.label)       # a new connection is chosen
    lab.step_button.click()                             # the server's end appears
    assert said(lab) == "server end B:80: SYN-RECEIVED t = 0.100 s"
    lab.run_button.click()
    assert "client end A:" in said(lab) and "SYN-SENT → ESTABLISHED" in said(lab)


def test_the_explorer_says_the_transition_or_why_not():
    ex = StateMachineExplorer()
    ex.fire(Event.LISTEN)
    assert said(ex).startswith("CLOSED --") and "LISTEN" in said(ex)
    assert ex.fire(Event.TIMEOUT_2MSL) is False        # illegal in LISTEN: said why
    assert said(ex) and said(ex) == re.sub(r"<[^>]*>", "", ex.message.value).replace(
        "&gt;", ">")
    ex.reset()
    assert said(ex) == "state: CLOSED"


def test_the_announcements_speak_chinese(chinese):
    lab = ConnectionLab()
    lab.panels["B"].buttons["listen"].click()
    lab.run_button.click()
    assert said(lab).startswith("状态没有变化。")
    assert ServerLab().step_button.description and lab.play_button.description == "播放"


def _opened_connection_lab():
    lab = ConnectionLab()
    lab.panels["B"].buttons["listen"].click()
    lab.panels["A"].buttons["connect"].click()
    return lab


def _opened_server_lab():
    lab = ServerLab()
    lab.connect_button.click()
    return lab


@pytest.mark.parametrize("opened", [_opened_connection_lab, _opened_server_lab])
def test_the_saved_snapshot_keeps_each_pictures_words(opened):
    """A saved lab is pictures as <img>, which hide the SVG's description from a screen
    reader: under each one, its words (the ladder's segment by segment)."""
    lab = opened()
    lab.run_button.click()
    snapshot = lab.snapshot_html()
    pictures = snapshot.count("<img ")
    words = re.findall(r'<details class="tcplab-picture-text">(.*?)</details>', snapshot)
    assert pictures >= 2 and len(words) == pictures
    ladder = words[-1]
    assert "<summary>" in ladder and ladder.count("<p>") >= 3       # a line per segment
    assert "SYN" in ladder and "ESTABLISHED" in ladder


def test_a_picture_without_a_description_gets_no_words():
    from tcplab.diagrams.a11y import details_from_svg
    assert details_from_svg("<svg><title>x</title></svg>") == ""
