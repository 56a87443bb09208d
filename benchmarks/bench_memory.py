"""Memory: does every lesson fit in Binder's 1 GB?

Binder (mybinder.org) gives a session 1 GB of memory at least (up to 2 GB), and a
JupyterHub usually sets a similar limit per student.  Each notebook of the workbook
(notebooks/[0-9]*.ipynb) and each homework (course/source/*/*.ipynb) runs top to bottom
in a fresh kernel with nbclient, as "Restart Kernel and Run All Cells" does, and we take:

  * the kernel's peak resident memory: ``VmHWM`` of /proc/<kernel>/status, read by the
    kernel itself after the last cell (the high-water mark of its own address space, so
    a short peak in the middle of the run counts);
  * the programs the kernel starts beside it (graphviz-pure's ``dot``, tshark in lesson
    10): the resident memory of all the kernel's descendants together, sampled every
    10 ms from outside (a shorter peak can be missed: most ``dot`` runs are), and the
    largest single one as the kernel's ``RUSAGE_CHILDREN`` says (which counts what the
    program inherited from the kernel at fork: an overestimate).

The figure is kernel peak + the larger of the two programs' figures: an upper bound of
what the kernel side holds at once; the target is 1 GB for it.  The
JupyterLab server comes on top of it on Binder (the browser runs on the student's
machine): its resident memory at start is measured too, and the sum of every lesson's
kernel peak plus the server is the worst case of a student who opens all the lessons
and shuts no kernel down (JupyterLab keeps them running).  Linux only (/proc), as
Binder and JupyterHub are.

Run:  .venv/bin/python benchmarks/bench_memory.py        (or: make bench)
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_all import Row, print_rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 1024.0

# Run last in the kernel, after the notebook's own cells (the file is not changed).
# RUSAGE_CHILDREN's ru_maxrss (kB on Linux) is the largest program the kernel ran and
# waited for; it includes what the program inherited from the kernel when it was forked,
# so it is an upper bound of that program's own size.
PROBE = """\
import re as _re, resource as _resource
print("TCPLAB-MEMORY",
      _re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read())[1],
      _resource.getrusage(_resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def notebooks() -> list[Path]:
    return (sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
            + sorted((ROOT / "course" / "source").glob("*/*.ipynb")))


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` in kB (0 if it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found[1]) if found else 0


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from each process's parent in /proc/*/stat)."""
    parent = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    below, frontier = [], [pid]
    while frontier:
        frontier = [p for p, pp in parent.items() if pp in frontier]
        below += frontier
    return below


class ChildSampler(threading.Thread):
    """Largest summed resident memory of the kernel's descendants, every 10 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.01):
            self.peak_kb = max(self.peak_kb, sum(map(rss_kb, descendants(self.pid))))


def peak(path: Path) -> tuple[float, float, float]:
    """(kernel peak MB, its programs' peak MB, seconds) of running ``path`` from fresh."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    samplers = []

    def started(**_):
        samplers.append(ChildSampler(client.km.provisioner.pid))
        samplers[0].start()

    client = NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}},
                            on_notebook_start=started)
    t0 = time.perf_counter()
    try:
        client.execute(stderr=subprocess.DEVNULL)      # the kernel's own start-up warnings
    finally:
        for sampler in samplers:
            sampler.stop.set()
    seconds = time.perf_counter() - t0
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    line = next(ln for ln in text.splitlines() if ln.startswith("TCPLAB-MEMORY "))
    own_kb, child_kb = map(int, line.split()[1:])
    return own_kb / 1024, max(child_kb, samplers[0].peak_kb) / 1024, seconds


def server_rss_mb() -> float | None:
    """Resident memory (MB) of a JupyterLab server just started, or None without one."""
    import shutil
    import socket
    import tempfile
    import urllib.request
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists() or not shutil.which("ps"):
        return None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             "--ServerApp.token=bench", f"--ServerApp.root_dir={tmp}", "--allow-root"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token=bench",
                                           timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                return None
            kb = subprocess.run(["ps", "-o", "rss=", "-p", str(proc.pid)],
                                capture_output=True, text=True).stdout.strip()
            return int(kb) / 1024 if kb else None
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> list[Row]:
    if not Path("/proc/self/status").exists():
        return [Row("memory", "not measured: needs Linux (/proc)")]
    rows, lessons = [], 0.0
    for path in notebooks():
        own, child, seconds = peak(path)
        lessons += own if path.parent.name == "notebooks" else 0.0
        total = own + child
        name = path.relative_to(ROOT).as_posix()
        print(f"{name:<60} kernel {own:6.1f} MB  its programs {child:6.1f} MB"
              f"  ({seconds:4.1f} s)", flush=True)
        rows.append(Row(f"memory: {path.stem} (kernel + its programs, peak)", f"{total:.0f} MB",
                        f"<= {TARGET_MB:.0f} MB", "Binder: 1-2 GB per session",
                        total <= TARGET_MB))
    server = server_rss_mb()
    if server is not None:
        print(f"JupyterLab server at start: {server:.0f} MB", flush=True)
        rows.append(Row("memory: JupyterLab server at start", f"{server:.0f} MB"))
    # JupyterLab keeps a lesson's kernel running after its tab is closed, unless the
    # student shuts it down: a whole session that never does holds all of them at once
    everything = lessons + (server or 0.0)
    rows.append(Row("memory: every lesson's kernel left running + server", f"{everything:.0f} MB",
                    f"<= {TARGET_MB:.0f} MB", "", everything <= TARGET_MB))
    return rows


if __name__ == "__main__":
    print_rows(main(), "memory")
