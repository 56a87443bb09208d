"""The cheat sheet (tcplab.cheatsheet): read off the library, in both languages, one A4 page."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import tcplab
from tcplab import State, cheatsheet, stories
from tcplab.real.kernel import LINUX_TIME_WAIT

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from browser_harness import CHROMIUM_ARGS  # noqa: E402
from browser_harness import chromium as find_chromium  # noqa: E402


@pytest.fixture(scope="module")
def english():
    return cheatsheet.cheat_sheet("en")


@pytest.fixture(scope="module")
def chinese():
    return cheatsheet.cheat_sheet("zh")


def _text(sheet) -> str:
    """The sheet's words, without tags, styles and the ladders' SVG."""
    body = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", sheet.html(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#x27;", "'")


def _state_rows(sheet) -> dict[str, str]:
    rows = re.findall(r"<tr><td>([A-Z12-]+)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                      sheet.html())
    return {state: (meaning, who) for state, meaning, who in rows}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_state_appears_with_its_meaning(lang, english, chinese):
    sheet = english if lang == "en" else chinese
    rows = _state_rows(sheet)
    assert set(rows) == {str(s) for s in State}
    with cheatsheet._speaking(lang):
        for s in State:
            assert rows[str(s)][0] == s.explanation.replace("'", "&#x27;")


def test_the_chinese_sheet_speaks_chinese_and_the_english_one_english(english, chinese):
    assert tcplab.text.language() == "en"          # the sheet gave the language back
    assert "cheat sheet" in _text(english) and "速查表" in _text(chinese)
    assert "没有连接" not in _text(english)
    assert State.TIME_WAIT.chinese.split("，")[0][:4] in _text(chinese)   # 等待 2MSL
    assert chinese.page().startswith("<!DOCTYPE html>") and 'lang="zh-Hans"' in chinese.page()


def test_who_passes_through_each_state_is_read_off_the_stories():
    who = cheatsheet.roles()
    assert who[State.TIME_WAIT] == ["active-close", "simultaneous-close"]
    assert who[State.CLOSE_WAIT] == who[State.LAST_ACK] == ["passive-close"]
    assert who[State.LISTEN] == ["passive-open"]
    assert who[State.CLOSING] == ["simultaneous-close"]
    assert "simultaneous-open" in who[State.SYN_RECEIVED]
    assert len(who[State.ESTABLISHED]) == len(who[State.CLOSED]) == 6


def test_the_segments_are_the_lecture_s(english):
    text = _text(english)
    for line in ("SYN, seq=x", "SYN+ACK, seq=y, ack=x+1", "ACK, seq=x+1, ack=y+1",
                 "FIN+ACK, seq=u, ack=y+1", "ACK, seq=v, ack=u+1", "FIN+ACK, seq=w, ack=u+1",
                 "ACK, seq=u+1, ack=w+1", "SYN+ACK seq=300 ack=101"):
        assert line in text
    assert text.count("<svg") == 0 and english.html().count("<svg") == 2   # two ladders


def test_a_changed_story_changes_the_sheet(monkeypatch):
    told = stories.closed_by
    monkeypatch.setattr(stories, "closed_by",
                        lambda first="A", **o: told(first, a_iss=1000, b_iss=5000, **o))
    text = _text(cheatsheet.cheat_sheet("en"))
    assert "SYN seq=1000" in text and "SYN+ACK seq=5000 ack=1001" in text
    assert "SYN+ACK, seq=y, ack=x+1" in text           # the letters stay the lecture's
    assert "SYN seq=100 " not in text


def test_the_timers_are_the_endpoint_s(english):
    sent, given_up = cheatsheet.backoff()
    assert sent[:3] == [0.0, 1.0, 3.0] and given_up > sent[-1]
    text = _text(english)
    assert ", ".join(f"{t:g}" for t in sent) in text and f"{given_up:g} s" in text
    assert f"Linux: {LINUX_TIME_WAIT:g} s" in text and "2MSL = 2 × 30 s = 60 s" in text
    for timer in ("retransmit", "time-wait", "user"):
        assert f"<td>{timer}</td>" in english.html()


def test_the_rules_are_read_off_segments_and_resets(english):
    html = english.html()
    assert re.search(r"<th>SYN</th><th>FIN</th><th>ACK</th><th>RST</th>", html)
    assert "<td>1</td><td>1</td><td>0</td><td>0</td><td>5</td>" in html
    assert "<td>RCV.NXT</td><td>no answer, CLOSED</td>" in html
    assert "<td>RCV.NXT+1</td><td>answers ACK, ESTABLISHED</td>" in html


def test_the_command_line_writes_the_page(tmp_path):
    out = tmp_path / "sheet.html"
    assert cheatsheet.main(["--lang", "zh", "-o", str(out)]) == 0
    assert "速查表" in out.read_text(encoding="utf-8")
    assert tcplab.text.language() == "en"


def _pages(pdf: bytes) -> int:
    """The pages of a PDF chromium wrote: its page tree's /Count (checked against the
    page objects)."""
    counts = re.findall(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)|/Count\s+(\d+)", pdf, re.S)
    total = max(int(a or b) for a, b in counts)
    assert total == len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    return total


def test_the_printable_page_is_one_a4_page_in_chromium(tmp_path):
    try:
        executable = find_chromium()
    except RuntimeError as exc:          # not skipped: the suite needs the browser
        pytest.fail(str(exc))
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            for lang in ("en", "zh"):
                path = cheatsheet.cheat_sheet(lang).save(tmp_path / f"sheet-{lang}.html")
                page = browser.new_page()
                page.goto(path.as_uri())
                pdf = page.pdf(format="A4", print_background=True)
                assert _pages(pdf) == 1, f"the {lang} sheet prints on more than one A4 page"
                # and it is not empty: the whole sheet is laid out (its last section too)
                assert page.get_by_text("RCV.NXT+RCV.WND", exact=True).count() == 1
        finally:
            browser.close()
