"""`make bench`'s runner (benchmarks/run_all.py) runs each benchmark in a fresh Python
process of its own and gathers the rows it returns; a benchmark that cannot run is
reported, not hidden."""

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import run_all  # noqa: E402


def test_a_benchmark_runs_in_a_process_of_its_own_and_its_rows_come_back(capfd):
    rows, crashed, seconds = run_all.run("diagrams", {})
    assert not crashed and seconds > 0
    assert rows and all(isinstance(r, run_all.Row) for r in rows)
    assert any("state-diagram SVG" in r.what and r.figure.endswith(")") for r in rows)
    assert "median" in capfd.readouterr().out        # what the child printed is shown


def test_a_benchmark_that_cannot_run_is_reported():
    rows, crashed, _ = run_all.run("no_such_benchmark", {})
    assert crashed
    assert rows[0].what == "bench_no_such_benchmark" and "could not run" in rows[0].figure
