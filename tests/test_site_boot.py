"""tools/site/boot_imports.py, the browser site's sitecustomize: while the Pyodide kernel
starts, the notebooks' folder (/drive) is not searched for modules (each look costs a
round trip to the page); once the kernel is up, it is searched as Python would.  Run here
in CPython on a folder standing in for /drive; tests/test_site.py runs it in the site."""

from __future__ import annotations

import importlib.util
import sys
import types
from importlib.machinery import FileFinder
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tools" / "site" / "boot_imports.py"


@pytest.fixture
def boot(monkeypatch):
    """boot_imports loaded as Python loads sitecustomize (its hook installed), with the
    kernel not up yet; the hook and any finder it made are taken away afterwards."""
    monkeypatch.setattr(sys, "path_hooks", list(sys.path_hooks))
    monkeypatch.setattr(sys, "path_importer_cache", dict(sys.path_importer_cache))
    monkeypatch.delitem(sys.modules, "pyodide_kernel", raising=False)
    spec = importlib.util.spec_from_file_location("boot_imports_under_test", SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def student_module(tmp_path):
    (tmp_path / "students_own_module.py").write_text("ANSWER = 42\n")
    return tmp_path


def kernel_up(monkeypatch, up: bool) -> None:
    kernel = types.SimpleNamespace(kernel_instance=object()) if up else types.SimpleNamespace()
    monkeypatch.setitem(sys.modules, "pyodide_kernel", kernel)


def test_its_hook_is_first_and_takes_only_the_drive(boot):
    assert sys.path_hooks[0] is boot.drive_hook
    assert isinstance(boot.drive_hook("/drive"), boot.DriveFinder)
    assert isinstance(boot.drive_hook("/drive/zh"), boot.DriveFinder)
    for elsewhere in ("/lib/python3.14/site-packages", "/drivers", "/home/pyodide", ""):
        with pytest.raises(ImportError):
            boot.drive_hook(elsewhere)


@pytest.mark.parametrize("half_imported", [False, True])
def test_nothing_is_found_in_the_drive_while_the_kernel_starts(boot, student_module,
                                                               monkeypatch, half_imported):
    if half_imported:                 # pyodide_kernel is importing, its kernel not made yet
        kernel_up(monkeypatch, False)
    finder = boot.DriveFinder(str(student_module))
    assert finder.find_spec("students_own_module") is None
    assert str(student_module) not in sys.path_importer_cache


def test_once_the_kernel_is_up_the_drive_is_searched_as_python_would(boot, student_module,
                                                                     monkeypatch):
    finder = boot.DriveFinder(str(student_module))
    assert finder.find_spec("students_own_module") is None
    kernel_up(monkeypatch, True)
    spec = finder.find_spec("students_own_module")
    assert spec is not None and Path(spec.origin) == student_module / "students_own_module.py"
    assert finder.find_spec("no_such_module_anywhere") is None
    python_own = sys.path_importer_cache[str(student_module)]
    assert type(python_own) is FileFinder and python_own.path == str(student_module)
