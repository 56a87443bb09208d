"""Driving nbgrader so that no submission can stop the others.

One worker process (:mod:`.worker`) grades the students one after the other; this side
watches the clock.  A notebook that runs longer than the limit for a whole notebook
(its cells may each stay under nbgrader's limit per cell) has its worker stopped, kernel
and all, and a new worker grades the students after it; a worker that dies takes only
the student it was grading with it.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

#: Seconds a new worker may take to start nbgrader before its first student.
STARTUP = 120.0


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (a kernel runs in a session of its own), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop(proc: subprocess.Popen) -> None:
    """End a worker and every process it started (its kernel), by their ids."""
    for pid in [*_descendants(proc.pid), proc.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    proc.wait()


def _start(course: Path, job: dict, errors) -> subprocess.Popen:
    env = dict(os.environ)
    # nbgrader calls `alembic` by name: the interpreter's bin folder comes first
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    proc = subprocess.Popen([sys.executable, "-m", "tcplab.grade.worker"], cwd=course,
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=errors, start_new_session=True)
    proc.stdin.write(json.dumps(job).encode())
    proc.stdin.close()
    return proc


def _lines(proc: subprocess.Popen, until: Callable[[], float]):
    """The worker's JSON lines as they come; ``None`` when ``until()`` has passed."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buffer = b""
    while True:
        left = until() - time.monotonic()
        if left <= 0:
            yield None
            return
        if not sel.select(timeout=min(left, 1.0)):
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield json.loads(line)


def _one_worker(course: Path, job: dict, timeout: float, errors, on_start,
                results: dict) -> None:
    """Run a worker over ``job['students']`` until it finishes, dies or runs out of time."""
    proc = _start(course, job, errors)
    current, deadline = None, time.monotonic() + STARTUP
    for message in _lines(proc, lambda: deadline):
        if message is None:
            stop(proc)
            if current is not None:
                results[current] = {"success": False, "timeout": timeout}
            return
        if message["event"] == "start":
            current, deadline = message["student"], time.monotonic() + timeout
            on_start(current)
        else:
            results[message["student"]] = message
            current, deadline = None, time.monotonic() + STARTUP
    code = proc.wait()
    if current is not None:
        results[current] = {"success": False, "error":
                            f"the grading process ended (exit code {code}) on this notebook"}


def _queue(course: Path, job: dict, students: list[str], timeout: float, errors,
           on_start, results: dict) -> None:
    """Grade ``students`` with one worker after the other (a new one after each stop)."""
    todo = list(students)
    while todo:
        _one_worker(course, {**job, "students": todo}, timeout, errors, on_start, results)
        left = [s for s in todo if s not in results]
        if len(left) == len(todo):       # the worker could not even start nbgrader
            for student in left:
                results[student] = {"success": False, "error": "nbgrader did not start: "
                                    "see the log"}
            return
        todo = left


def grade_all(course: Path, job: dict, timeout: float, errors,
              on_start: Callable[[str], None] = lambda s: None,
              jobs: int = 1) -> dict[str, dict]:
    """Grade ``job['students']`` in ``course`` with ``jobs`` workers side by side: what
    the worker said for each one, ``{"success": False, "timeout": t}`` for a notebook
    stopped after ``t`` seconds.  (The gradebook is sqlite: each worker's writes are
    short transactions, and sqlite waits for the other's.)"""
    results: dict[str, dict] = {}
    shares = [job["students"][k::jobs] for k in range(max(jobs, 1))]
    threads = [threading.Thread(target=_queue, args=(course, job, share, timeout, errors,
                                                     on_start, results))
               for share in shares if share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
