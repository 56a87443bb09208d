"""Record lesson 08's stories on this machine's kernel, and lesson 10's tshark runs, for the
places that cannot run them.

    .venv/bin/python tools/record_real.py      (writes tcplab/real/recordings/*.json)
    .venv/bin/python tools/record_real.py --only production    (lesson 11's stories alone)

It runs the live code of :mod:`tcplab.real` (the story of lesson 02 on 127.0.0.1, a SYN
from the same port in the server's TIME-WAIT, close versus abort) and writes what the
kernel showed, with the kernel's release, the date and this command inside the file.
For lesson 10 it runs the lesson's code cells in a scratch folder and records what tshark
prints for every capture file they write (both views of :data:`tcplab.real.wireshark.VIEWS`),
with tshark's version.
The browser edition and restricted servers replay it (see README, "The real kernel").
Run it on Linux, where ``tcplab.real.mode()`` says the stories run live; it refuses
elsewhere rather than record a machine that cannot show them.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tcplab import real  # noqa: E402
from tcplab.real import abort, production, recording, reopen, story, wireshark  # noqa: E402

RECORDINGS = ROOT / "tcplab" / "real" / "recordings"
LESSON_10 = ROOT / "notebooks" / "10-wireshark.ipynb"


def _made(**more: str) -> dict:
    return {"system": platform.system(), "release": platform.release(),
            "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
            "command": recording.COMMAND, "python": platform.python_version(), **more}


def record() -> dict:
    """Play the three stories live; what the recording keeps of them."""
    how = real.mode()
    if not how.live:
        raise SystemExit(f"cannot record here: {how.reason}")
    told = real.real_story()
    if not told.shown:
        raise SystemExit(f"the story was not seen whole: {told.error}")
    reopened = real.kernel_reopen()
    if reopened is None:
        raise SystemExit("the reopen story could not be played: " + real.explanation())
    releases = {h: real.kernel_release(h) for h in abort.HOWS}
    return {
        "recorded": _made(),
        "story": story.story_data(told),
        "reopen": reopen.reopen_data(reopened),
        "release": {h: abort.release_data(r) for h, r in releases.items()},
        "production": production.record_data(),
    }


def _run_lesson_10(folder: Path) -> None:
    """Lesson 10's code cells, in order, with ``folder`` as the notebook's folder."""
    cells = json.loads(LESSON_10.read_text("utf-8"))["cells"]
    scope: dict = {}
    here = os.getcwd()
    os.chdir(folder)
    try:
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            for cell in cells:
                if cell["cell_type"] == "code":
                    exec(compile("".join(cell["source"]), str(LESSON_10), "exec"), scope)
    finally:
        os.chdir(here)


def record_tshark() -> dict:
    """tshark's two views of every capture file lesson 10 writes."""
    how = real.tshark_mode()
    if not how.live:
        raise SystemExit(f"cannot record tshark here: {how.reason}")
    runs = {}
    with tempfile.TemporaryDirectory() as scratch:
        _run_lesson_10(Path(scratch))
        for path in sorted(Path(scratch).rglob("*.pcap")):
            name = path.relative_to(scratch).as_posix()
            runs[wireshark.digest(path.read_bytes())] = {
                "file": name, **{view: wireshark.run(path, view) for view in wireshark.VIEWS}}
    if not runs:
        raise SystemExit("lesson 10 wrote no capture file")
    return {"recorded": _made(tshark=wireshark.version()), "runs": runs}


def record_production() -> int:
    """``--only production``: record lesson 11's stories alone, into the kernel's recording
    (the other stories' recordings stay as they are)."""
    how = real.mode()
    if not how.live:
        raise SystemExit(f"cannot record here: {how.reason}")
    path = RECORDINGS / recording.KERNEL
    data = json.loads(path.read_text("utf-8"))
    data["production"] = production.record_data()
    path.write_text(recording.dumps(data), encoding="utf-8")
    print(f"wrote lesson 11's stories into {path.relative_to(ROOT)}")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--only", "production"]:
        return record_production()
    RECORDINGS.mkdir(parents=True, exist_ok=True)
    for name, data in ((recording.KERNEL, record()), (recording.TSHARK, record_tshark())):
        (RECORDINGS / name).write_text(recording.dumps(data), encoding="utf-8")
        made = data["recorded"]
        print(f"wrote {(RECORDINGS / name).relative_to(ROOT)} ({made['system']} "
              f"{made['release']}, {made['date']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
