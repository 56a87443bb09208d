"""The right answers of the exercises that vary per student, by the lecture's rules.

One module per lesson (``lessonNN.py``), each with ``RULES = {key: (demo, right)}``:
``demo`` is the demo student's answer as the saved outputs show it, ``right(v)`` works the
answer out from the variant's numbers (x+1, y+1, 2MSL, …), not from the checker, so a
checker that ignored the variant or played the wrong story would fail.
"""

import importlib
import pkgutil

RULES: dict = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _key, _rule in _module.RULES.items():
        assert _key not in RULES, f"two rules for {_key}"
        RULES[_key] = _rule
