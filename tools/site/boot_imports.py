"""The Pyodide kernel's start without a question to the page per import.

This file is not imported here: the build puts it into the site's Pyodide standard
library as ``sitecustomize.py`` (tools/site/pyodide.py), which Python runs as it starts,
before the kernel is set up.

Why: the kernel mounts the notebooks' folder, which lives in the page (the browser's
storage), at /drive and makes it the current directory before it imports IPython and the
rest, some 800 modules.  With ``''`` (the current directory) first on ``sys.path``, every
top-level import asks first whether /drive holds the module, and each question about
/drive is a round trip through the service worker to the page, whose main thread is busy
drawing the notebook: about 100 of them, 5-7 s of a 15 s start on a busy machine.

So /drive's finder answers "not here" without asking while the kernel starts (until
``pyodide_kernel`` is imported whole: nothing the kernel imports lives in the student's
folder), and is Python's own finder from then on: a module of the student's own beside
the notebook imports as in any Jupyter.
"""

import sys

#: where the kernel mounts the notebooks' folder (@jupyterlite/pyodide-kernel)
DRIVE = "/drive"


def _kernel_is_up() -> bool:
    return getattr(sys.modules.get("pyodide_kernel"), "kernel_instance", None) is not None


class DriveFinder:
    """The path entry finder of a folder under /drive: nothing while the kernel starts,
    then the finder Python would have made (which takes this one's place)."""

    def __init__(self, path: str):
        self.path = path

    def find_spec(self, name, target=None):
        if not _kernel_is_up():
            return None
        finder = _python_finder(self.path)
        sys.path_importer_cache[self.path] = finder
        return finder.find_spec(name, target) if finder is not None else None

    def invalidate_caches(self):
        pass


def _python_finder(path: str):
    """What the path hooks after ours make of ``path`` (a FileFinder), or None."""
    for hook in sys.path_hooks:
        if hook is drive_hook:
            continue
        try:
            return hook(path)
        except ImportError:
            continue
    return None


def drive_hook(path: str) -> DriveFinder:
    if path != DRIVE and not path.startswith(DRIVE + "/"):
        raise ImportError("not in the notebooks' folder")
    return DriveFinder(path)


sys.path_hooks.insert(0, drive_hook)
