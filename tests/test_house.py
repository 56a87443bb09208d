"""The shape of the library: arrows point down, the UI on top (see README, Layout)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import tcplab

ROOT = Path(__file__).resolve().parents[1]


def library_modules():
    """Every module of tcplab, by dotted name, except the labs (tcplab.widgets)."""
    names = [info.name for info in pkgutil.walk_packages(tcplab.__path__, "tcplab.")]
    return sorted(n for n in names if not n.startswith("tcplab.widgets"))


def test_the_library_imports_without_ipywidgets():
    # sys.modules[name] = None makes `import name` fail, as if it were not installed
    code = ("import importlib, sys\n"
            "sys.modules['ipywidgets'] = None\n"
            f"for name in {library_modules()!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith('tcplab.widgets')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_labs_still_offer_what_lesson_05_imports():
    from tcplab.fsm import Machine
    from tcplab.session import LabConfig, Session
    from tcplab.widgets import LabConfig as L, Session as S, Walker
    assert Walker is Machine and L is LabConfig and S is Session


# A file a reader can hold in their head; a function that fits on a screen.  The limits
# are the review's "about 600" and "about 80", with a little room.
MODULE_LINES = 620
FUNCTION_LINES = 85


def python_files():
    return sorted((ROOT / "tcplab").rglob("*.py"))


def test_no_module_is_too_long_to_read():
    long = {str(p.relative_to(ROOT)): n for p in python_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES}
    assert not long, f"modules over {MODULE_LINES} lines: {long}"


def test_no_function_is_too_long_to_read():
    import ast
    long = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1
                if size > FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size})")
    assert not long, f"functions over {FUNCTION_LINES} lines: {long}"
