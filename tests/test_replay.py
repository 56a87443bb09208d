"""Live or replay (tcplab.real.where) and the replays of lesson 08's stories: the decision and
its reason in each kind of environment, the replayed results labelled and agreeing with
tcplab's model where the live ones do, nothing of the OS touched by a replay, the recording
still what this machine's kernel does, and the lessons running with the replay forced."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tcplab import State, checks, real
from tcplab.real import kernel, recording, where

S = State
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def replay(monkeypatch):
    monkeypatch.setenv("TCPLAB_REAL", "replay")


@pytest.fixture
def no_os(monkeypatch, tmp_path):
    """An environment like the browser edition: no sockets, no /proc, no programs."""
    def refuse(*args, **kwargs):
        raise OSError("sockets and programs are not available here (test)")

    monkeypatch.setattr(socket.socket, "__init__", refuse)
    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(kernel, "PROC_NET_TCP", str(tmp_path / "no-such-file"))


@pytest.fixture
def browser(monkeypatch, no_os):
    """The browser edition as Pyodide shows itself: emscripten, no sockets, no /proc."""
    monkeypatch.delenv("TCPLAB_REAL", raising=False)
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(kernel.platform, "system", lambda: "Emscripten")


# --------------------------------------------------------------------------- the decision

def test_forced_replay_and_forced_live(monkeypatch):
    monkeypatch.setenv("TCPLAB_REAL", "replay")
    m = real.mode()
    assert not m and "TCPLAB_REAL=replay" in m.reason
    assert m.label().startswith("Replay: recorded on Linux ")
    assert "python tools/record_real.py" in m.label()
    monkeypatch.setenv("TCPLAB_REAL", "live")
    assert real.mode().live and real.mode().label() == ""
    monkeypatch.setenv("TCPLAB_REAL", "sometimes")
    with pytest.raises(ValueError, match="auto, live, replay"):
        real.mode()


def test_auto_is_live_where_everything_works(monkeypatch):
    monkeypatch.delenv("TCPLAB_REAL", raising=False)
    assert real.support().full, "this machine should show TCP's states: " + real.explanation()
    m = real.mode()
    assert m.live and "all work here" in m.reason and "run live" in repr(m)


def test_the_browser_edition_replays_and_says_why(browser):
    m = real.mode()
    assert not m.live and where.browser()
    assert "cannot open sockets (browser edition" in m.label()
    assert "Pyodide" in real.support().explanation
    assert "browser edition" in m._repr_html_()


@pytest.mark.parametrize("hide, reason", [
    ("tcp_info", "TCP_INFO socket option does not work"),
    ("table", "no /proc/net/tcp, no ss command"),
    ("loopback", "does not let a program connect sockets"),
    ("linux", "has neither Linux's TCP_INFO nor its table"),
])
def test_restricted_servers_replay_with_the_reason(monkeypatch, tmp_path, hide, reason):
    monkeypatch.delenv("TCPLAB_REAL", raising=False)
    if hide == "tcp_info":
        monkeypatch.delattr(socket, "TCP_INFO", raising=False)
    elif hide == "table":
        monkeypatch.setattr(kernel, "PROC_NET_TCP", str(tmp_path / "no-such-file"))
        monkeypatch.setattr(kernel, "_ss_path", lambda: None)
    elif hide == "loopback":
        def refused(self, address):
            raise ConnectionRefusedError("refused (test)")
        monkeypatch.setattr(socket.socket, "connect", refused)
    else:
        monkeypatch.setattr(sys, "platform", "darwin")
        monkeypatch.setattr(kernel.platform, "system", lambda: "Darwin")
        monkeypatch.setattr(kernel, "_proc_works", lambda: False)
    m = real.mode()
    assert not m.live and reason in m.reason
    story = real.real_story()
    assert story.replay == m.label() and repr(story).startswith(m.label())


def test_a_live_run_that_fails_half_way_is_replaced_by_the_recording(monkeypatch):
    """A server that lets the probe connect but refuses a later call (here: sendall)."""
    monkeypatch.delenv("TCPLAB_REAL", raising=False)
    assert real.mode().live

    def refused(self, *args, **kwargs):
        raise PermissionError(1, "Operation not permitted (test)")

    monkeypatch.setattr(socket.socket, "sendall", refused)
    monkeypatch.setattr(socket.socket, "send", refused)
    story = real.real_story()
    assert story.shown and story.error is None
    assert "the live run failed here (step 4" in story.replay
    assert "Operation not permitted" in story.replay
    rel = real.abort_vs_close()
    assert rel.shown and "the live run failed here" in rel.replay
    monkeypatch.setenv("TCPLAB_REAL", "live")         # asked for live: the failure is shown
    live = real.real_story()
    assert not live.replay and live.error.startswith("step 4") and not live.shown


# --------------------------------------------------------------------------- the replays

def test_the_replayed_story_agrees_with_the_model_where_the_live_one_does(browser):
    story = real.real_story()
    assert story.shown and story.replay and story.where == "the recorded run"
    assert story.kernel("A", "accept") is story.kernel("B", "accept") is S.ESTABLISHED
    assert story.kernel("A", "shutdown") is S.FIN_WAIT_2
    assert story.kernel("B", "shutdown") is S.CLOSE_WAIT
    last = story.step("client-close").last("A")
    assert last.table is S.TIME_WAIT and last.socket is None
    assert story.step("server-close").last("A").socket is S.CLOSED
    assert story.history("A") == [S.CLOSED, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                                  S.TIME_WAIT]
    assert story.history("B") == [S.CLOSED, S.LISTEN, S.ESTABLISHED, S.CLOSE_WAIT, S.CLOSED]
    assert story.unseen("A") == [S.SYN_SENT]
    assert 59 < story.time_wait_left() <= 60
    assert " 06 " in story.rows() and story.rows().count("\n") == 0
    assert story.prediction.msl == 30 and real.real_story(msl=10).prediction.msl == 10


def test_the_replay_is_labelled_everywhere_it_shows(browser):
    story = real.real_story()
    label = story.replay
    assert label.startswith("Replay: recorded on Linux ") and "browser edition" in label
    assert repr(story).splitlines()[0] == label
    assert story.caption().startswith("A recorded run of the kernel (Linux)")
    page = story._repr_html_()
    assert page.startswith("<p><b>Replay: recorded on Linux")
    assert page.count("<table") == page.count("</table>") == 1
    again = story.look_again()
    assert again.startswith(label) and "TIME-WAIT" in again and "cannot be read again" in again
    notes = story.notes()
    assert len(notes) >= 5 and all(n.refs for n in notes)
    assert any("Only the table shows TIME-WAIT" in n.text for n in notes)


def test_the_replayed_reopen_is_linuxs_rule(browser):
    result = real.time_wait_syn()
    assert result.kernel is not None and result.kernel.time_wait_before
    assert result.matching() == ["reopen"] and result.kernel.table_after is S.ESTABLISHED
    assert repr(result).startswith("Replay: recorded on Linux")
    assert "The recorded Linux kernel: B's side was in TIME-WAIT" in result.summary()
    assert result._repr_html_().startswith("<p><b>Replay:")
    assert [r.rule for r in result.rules] == ["challenge-ack", "rfc793", "reopen"]


def test_the_replayed_releases_are_close_and_abort(browser):
    rel = real.abort_vs_close()
    close, abort = rel.run("kernel", "close"), rel.run("kernel", "abort")
    assert rel.shown and repr(rel).startswith("Replay: recorded on Linux")
    assert close.lost == 0 and close.ending == "end of file" and close.control == "FIN"
    assert abort.lost > 0 and "ECONNRESET" in abort.ending and abort.a_after is None
    assert "kernel (recorded), abort: some bytes never arrived" in rel.summary()
    assert rel.run("tcplab", "abort").lost == 800


def test_the_exercises_check_the_same_without_a_kernel(browser):
    assert checks.check("real-server-closes-first", call="shutdown(SHUT_WR)",
                        state="FIN-WAIT-2").correct
    assert checks.check("real-time-wait-length", tcplab=240, linux=60).correct
    assert checks.check("real-time-wait-count", connections=30000).correct
    assert checks.check("real-abort", received=200, sends="RST", told="ECONNRESET").correct
    assert not checks.check("real-abort", received=1000, sends="FIN", told="eof").correct


def test_the_recording_is_small_readable_and_says_who_made_it():
    path = ROOT / "tcplab" / "real" / "recordings" / recording.KERNEL
    text = path.read_text("utf-8")
    assert len(text) < 30_000 and text == recording.dumps(recording.load())
    made = recording.made()
    assert made["system"] == "Linux" and made["command"] == "python tools/record_real.py"
    assert made["release"][0].isdigit() and len(made["date"]) == 10
    assert [s["key"] for s in recording.load()["story"]["steps"]] == [s.key for s in real.STORY]


# --------------------------------------------------------------------------- still current

def _recorder():
    spec = importlib.util.spec_from_file_location("record_real", ROOT / "tools" / "record_real.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _what_must_not_drift(data: dict) -> dict:
    """States and outcomes, not ports, timings or byte counts."""
    def seen(observations: list) -> tuple:    # the step's states, then its last reading
        states = [recording.observation(o).state for o in observations]
        last = observations[-1]
        return ([x for i, x in enumerate(states) if i == 0 or states[i - 1] is not x],
                (last["socket"], last["table"], last["listener"]))

    steps = [(s["key"], s["settled"], seen(s["a"]), seen(s["b"]))
             for s in data["story"]["steps"]]
    reopen = {k: data["reopen"][k] for k in ("time_wait_before", "outcome", "accepted",
                                             "table_after", "error")}
    release = {h: (r["control"], r["ending"], r["a_after"], r["sent"] == r["received"])
               for h, r in data["release"].items()}
    sup = {k: data["story"]["support"][k] for k in ("system", "tcp_info", "table")}
    return {"steps": steps, "reopen": reopen, "release": release, "support": sup}


@pytest.mark.slow
def test_the_recording_is_what_this_kernel_does_now(monkeypatch):
    """Record again, live, on this machine: the states and outcomes must be the recorded ones
    (re-record with `python tools/record_real.py` when the kernel's behaviour changes)."""
    monkeypatch.delenv("TCPLAB_REAL", raising=False)
    fresh = _recorder().record()
    assert _what_must_not_drift(fresh) == _what_must_not_drift(recording.load())
    assert fresh["recorded"]["command"] == recording.COMMAND


# --------------------------------------------------------------------------- tshark (lesson 10)

def _handshake_file(tmp_path) -> Path:
    from tcplab import Network, pcap
    net = Network(seed=0, delay=0.1)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen(); a.connect("B"); net.run()          # noqa: E702  (lesson 10's first story)
    return pcap.write(net, tmp_path / "handshake.pcap")


def test_tshark_mode_follows_the_environment(monkeypatch):
    monkeypatch.delenv("TCPLAB_REAL", raising=False)
    monkeypatch.setattr(where, "_tshark_works", lambda: False)
    assert "tshark is not installed here" in real.tshark_mode().reason
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert "cannot start programs" in real.tshark_mode().reason
    monkeypatch.setenv("TCPLAB_REAL", "live")
    assert real.tshark_mode().live


def test_tshark_replays_the_recording_of_the_same_file(browser, tmp_path):
    path = _handshake_file(tmp_path)
    flow = real.tshark(path, "flow")
    assert flow.replay.startswith("Replay: the output of TShark (Wireshark) ")
    assert "recorded on Linux" in flow.replay and "cannot start programs" in flow.replay
    assert flow.command == f"tshark -n -r {path} -q -z flow,tcp,network"
    assert "|0.200000 |         ACK       |" in flow.output
    assert repr(flow).splitlines()[:2] == [flow.replay, f"$ {flow.command}"]
    listed = real.tshark(path)
    assert listed.output.count("\n") == 3 and "[SYN, ACK] Seq=0 Ack=1" in listed.output
    with pytest.raises(ValueError, match="list, flow"):
        real.tshark(path, "tree")


def test_tshark_does_not_invent_a_files_output(browser, tmp_path):
    path = tmp_path / "mine.pcap"
    path.write_bytes(_handshake_file(tmp_path).read_bytes()[:-2])
    result = real.tshark(path)
    assert result.output == "" and "not one of the lesson's recorded files" in repr(result)


@pytest.mark.slow
def test_the_tshark_recording_is_what_tshark_prints_now(monkeypatch):
    """Every file lesson 10 writes, read by this machine's tshark again."""
    import shutil
    if shutil.which("tshark") is None:
        pytest.fail("tshark is not installed: tools/system-deps.sh installs it")
    monkeypatch.delenv("TCPLAB_REAL", raising=False)
    fresh = _recorder().record_tshark()
    recorded = recording.load(recording.TSHARK)
    assert fresh["runs"] == recorded["runs"]
    assert {r["file"] for r in recorded["runs"].values()} >= {
        "captures/handshake.pcap", "captures/close.pcap", "captures/stale-syn-at-B.pcap"}
    assert fresh["recorded"]["tshark"] == recorded["recorded"]["tshark"]


# --------------------------------------------------------------------------- the lessons

def _replayed_notebook(name: str, monkeypatch) -> list:
    """The lesson's code cells, run by nbclient with TCPLAB_REAL=replay; none may fail."""
    import nbformat
    from nbclient import NotebookClient
    monkeypatch.setenv("TCPLAB_REAL", "replay")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    path = ROOT / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    return code


def _text(cell) -> str:
    out = []
    for o in cell.get("outputs", []):
        out.append(o.get("text", "") + o.get("data", {}).get("text/plain", ""))
    return "".join(out)


@pytest.mark.slow
def test_lesson_08_runs_as_a_replay(monkeypatch):
    cells = _replayed_notebook("08-real-tcp.ipynb", monkeypatch)
    code = {c.source.split("\n")[-1].strip(): _text(c) for c in cells}
    for last in ("story", "reopen", "releases"):
        assert code[last].startswith("Replay: recorded on Linux"), last
    assert any(t.startswith("Checked on the recorded run: both sides ESTABLISHED")
               for t in code.values())
    assert "TCPLAB_REAL=replay asks for the recording" in code["real.mode()"]


@pytest.mark.slow
def test_lesson_10_runs_as_a_replay(monkeypatch):
    cells = _replayed_notebook("10-wireshark.ipynb", monkeypatch)
    shown = [_text(c) for c in cells if "real.tshark(" in c.source]
    assert len(shown) == 2 and all(t.startswith("Replay: the output of TShark") for t in shown)
    assert "[TCP Retransmission]" in shown[1]


# --------------------------------------------------------------------------- under real Pyodide
# The browser edition's Python: the npm package pyodide (the version JupyterLite 0.8.6 pins)
# in Node.  tcplab's wheel (built as it is published, so the recordings must be in it) is
# unpacked into Pyodide's file system; then the code cells of lessons 08 and 10 run there.

PYODIDE = "314.0.6"

_NODE_RUNNER = """
import { loadPyodide } from %(mjs)s;
import { readFileSync } from "node:fs";
const py = await loadPyodide({ indexURL: %(index)s });
py.unpackArchive(new Uint8Array(readFileSync(%(wheel)s)), "wheel");
py.setStdout({ batched: (s) => console.log(s) });
py.setStderr({ batched: (s) => console.error(s) });
py.FS.writeFile("/home/pyodide/run.py", readFileSync(%(script)s));
try {
  await py.runPythonAsync("exec(open('/home/pyodide/run.py').read())");
} catch (e) {
  console.error(String(e));
  process.exit(1);
}
"""

# Runs a lesson's code cells as Jupyter would (the last expression's repr is its output), and
# prints each cell's output after a marker line.  Lesson 10's lab cells need ipywidgets and a
# Jupyter kernel's comm, which the bare Pyodide runtime has not (the site's browser test runs
# them in JupyterLite): they are left out by their one import.
_CELL_RUNNER = """
import ast, io, json, contextlib, sys
assert sys.platform == "emscripten", sys.platform
def run(cells):
    scope = {}
    for n, source in enumerate(cells):
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(tree, f"cell {n}", "exec"), scope)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), f"cell {n}", "eval"), scope)
                if value is not None:
                    print(repr(value))
        print(f"=== cell {n}")
        print(out.getvalue())
"""


def _code_cells(name: str, leave_out: str | None = None) -> list[str]:
    import nbformat
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    if leave_out is not None:
        first = next(i for i, c in enumerate(cells) if leave_out in c)
        cells = cells[:first] + cells[first + 2:]      # the lab, and the export of the lab
    return cells


@pytest.fixture(scope="module")
def pyodide(tmp_path_factory):
    """(node, pyodide.mjs, tcplab's wheel): Pyodide from the npm registry, as the site
    gets it (tools/site/fetch.py: checked against the registry, cached in .cache/site/)."""
    import shutil
    from tools.site import build, fetch
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("these tests run tcplab under Pyodide in Node.js: install node "
                    "(tools/system-deps.sh does, from Debian), then run the tests again")
    assert build.PYODIDE_VERSION == PYODIDE
    home = fetch.npm_unpacked("pyodide", PYODIDE, ROOT / ".cache" / "site")
    wheels = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    return node, home / "pyodide.mjs", next(wheels.glob("tcplab-*.whl"))


def _under_pyodide(pyodide, tmp_path, program: str) -> str:
    node, mjs, wheel = pyodide
    script = tmp_path / "run.py"
    script.write_text(program, encoding="utf-8")
    runner = tmp_path / "run.mjs"
    runner.write_text(_NODE_RUNNER % {k: json.dumps(str(v)) for k, v in {
        "mjs": mjs, "index": str(mjs.parent) + "/", "wheel": wheel, "script": script}.items()})
    done = subprocess.run([node, str(runner)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr, (done.stdout + done.stderr)[-3000:]
    return done.stdout


@pytest.mark.slow
def test_lesson_08_under_pyodide_replays_the_recording(pyodide, tmp_path):
    out = _under_pyodide(pyodide, tmp_path, _CELL_RUNNER + f"run({_code_cells('08-real-tcp.ipynb')!r})")
    assert "this environment cannot open sockets (browser edition" in out
    assert out.count("Replay: recorded on Linux ") >= 4        # mode, story, reopen, releases
    assert "Checked on the recorded run: both sides ESTABLISHED after accept()" in out
    assert "The kernel did what tcplab's rule 'reopen' predicts." in out
    assert "kernel (recorded), abort: some bytes never arrived" in out
    assert "This machine (Pyodide) cannot show TCP's real states" in out


@pytest.mark.slow
def test_lesson_11_under_pyodide_replays_the_recording(pyodide, tmp_path):
    # the lab cell needs ipywidgets, which this bare Pyodide lacks: the site test runs it
    cells = _code_cells("11-production.ipynb", leave_out="from tcplab.widgets import")
    out = _under_pyodide(pyodide, tmp_path, _CELL_RUNNER + f"run({cells!r})")
    assert "this environment cannot open sockets (browser edition" in out
    assert "the server's side (its port): CLOSE_WAIT (st 08) × 5" in out
    assert "the clients' side: ESTABLISHED (st 01) × 2, SYN_SENT (st 02) × 3" in out
    assert "net.ipv4.tcp_syncookies = 1" in out
    assert "got in, SYN cookies" in out


@pytest.mark.slow
def test_lesson_10_under_pyodide_writes_and_reads_its_captures(pyodide, tmp_path):
    cells = _code_cells("10-wireshark.ipynb", leave_out="from tcplab.widgets import")
    out = _under_pyodide(pyodide, tmp_path, _CELL_RUNNER + f"run({cells!r})")
    assert "captures/handshake.pcap - 234 bytes, 3 packets" in out
    assert "0.200000  |------- ACK ------>|  Seq = 1 Ack = 1" in out
    assert out.count("Replay: the output of TShark (Wireshark) ") == 2
    assert "cannot start programs such as tshark (browser edition" in out
    assert "[TCP Retransmission] 49152 → 8000 [SYN]" in out
