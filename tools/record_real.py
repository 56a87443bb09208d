"""Record lesson 08's stories on this machine's kernel, for the places that cannot run them.

    .venv/bin/python tools/record_real.py            (writes tcplab/real/recordings/linux.json)

It runs the live code of :mod:`tcplab.real` (the story of lesson 02 on 127.0.0.1, a SYN
from the same port in the server's TIME-WAIT, close versus abort) and writes what the
kernel showed, with the kernel's release, the date and this command inside the file.
The browser edition and restricted servers replay it (see README, "The real kernel").
Run it on Linux, where ``tcplab.real.mode()`` says the stories run live; it refuses
elsewhere rather than record a machine that cannot show them.
"""

from __future__ import annotations

import datetime
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tcplab import real  # noqa: E402
from tcplab.real import abort, recording, reopen, story  # noqa: E402

OUT = ROOT / "tcplab" / "real" / "recordings" / recording.KERNEL


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
        "recorded": {"system": platform.system(), "release": platform.release(),
                     "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                     "command": recording.COMMAND, "python": platform.python_version()},
        "story": story.story_data(told),
        "reopen": reopen.reopen_data(reopened),
        "release": {h: abort.release_data(r) for h, r in releases.items()},
    }


def main() -> int:
    data = record()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(recording.dumps(data), encoding="utf-8")
    made = data["recorded"]
    print(f"wrote {OUT.relative_to(ROOT)} ({made['system']} {made['release']}, {made['date']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
