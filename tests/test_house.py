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


def test_no_library_module_reaches_up_to_the_labs_even_late():
    # an import inside a function still points up: the labs call the library, never back
    import ast
    found = []
    for path in sorted((ROOT / "tcplab").rglob("*.py")):
        if "widgets" in path.relative_to(ROOT / "tcplab").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("ipywidgets",) or "widgets" in n.split(".")[-2:]
                   for n in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


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


def _attributes(path):
    """(line, node) of every attribute access in a module, but those on self, cls, super()."""
    import ast
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if isinstance(owner, ast.Call) and getattr(owner.func, "id", "") == "super":
                continue
            yield node


#: the endpoint's own rooms: what it holds is known there and nowhere else
ENDPOINT_FILES = {"endpoint.py", "arrival.py", "tcb.py", "outputs.py", "tables.py"}


def test_nothing_outside_the_endpoint_knows_its_private_parts():
    from tcplab.endpoint import Endpoint
    from tcplab.tcb import Tcb
    private = {name for cls in (Endpoint, Tcb) for name in dir(cls)
               if name.startswith("_") and not name.startswith("__")}
    private |= {name for name in vars(Endpoint("A")) if name.startswith("_")}
    private |= {"_tcb_fields"}
    found = [f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}"
             for path in python_files() if path.name not in ENDPOINT_FILES
             for node in _attributes(path) if node.attr in private]
    assert not found, found


def test_no_reader_of_the_trace_matches_its_prose():
    # `detail` is a few words for people; readers test kind, cause, state and journey
    import ast
    found = []
    for path in python_files():
        if path.name == "trace.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Attribute) and s.attr == "detail" for s in sides):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Attribute)
                  and node.func.value.attr == "detail"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"trace prose matched at {found}"
