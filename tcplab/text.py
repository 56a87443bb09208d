"""The words students read, in their language: tcplab's message catalogue.

The ground floor: it imports nothing of tcplab, and every module that shows a
student a sentence asks it for the words.

* A message is written in the code in English, marked for the catalogue: ``_("...")``
  where it is shown, ``N_("...")`` where it is only stored (a table built at import),
  to be passed through ``_()`` when shown.  Looking a message up when it is shown, not
  at import, is what lets :func:`set_language` take effect at once.
* Translations are gettext catalogues, ``tcplab/locale/<lang>/LC_MESSAGES/tcplab.po``
  (the translators' file) compiled to ``tcplab.mo`` beside it (package data).  Only the
  standard library's ``gettext`` reads them here: the browser edition (Pyodide) has no
  Babel.  The developer tools (``python -m tools.i18n catalog``) extract, update and
  compile with Babel.
* Placeholders are ``str.format`` names (``{state}``): a translation may move them,
  never drop or add one (tests/test_text.py).
* The language is English unless ``TCPLAB_LANG`` says otherwise when tcplab is imported,
  or :func:`set_language` is called.
"""

from __future__ import annotations

import gettext
import os
import unicodedata
import warnings
from pathlib import Path

__all__ = ["LANGUAGES", "DOMAIN", "LOCALE_DIR", "set_language", "language", "_", "N_",
           "width", "ljust"]

#: The languages tcplab speaks: English (the source) and Chinese (中文).
LANGUAGES = {"en": "English", "zh": "中文 (Chinese)"}
DOMAIN = "tcplab"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# what people write for the two languages: "zh_CN.UTF-8", "zh-Hans", "EN" ...
_ALIASES = {"chinese": "zh", "中文": "zh", "english": "en"}

_current = "en"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def _normalise(lang: str) -> str:
    if not isinstance(lang, str):
        raise TypeError(f"the language must be a string such as 'zh' or 'en', got {lang!r}")
    code = lang.strip().lower()
    code = _ALIASES.get(code, code.split(".")[0].replace("-", "_").split("_")[0])
    if code not in LANGUAGES:
        known = ", ".join(f"{k!r} ({v})" for k, v in LANGUAGES.items())
        raise ValueError(f"tcplab does not speak {lang!r}: the languages it knows are {known}")
    return code


def set_language(lang: str) -> None:
    """Speak ``lang`` from now on: "zh" (中文) or "en" ("zh_CN", "zh-Hans" ... are "zh").

    Every catalogued message shown after this call is in that language: an
    :class:`~tcplab.IllegalEvent`, a state's explanation ...  An unknown language is a
    ValueError that names the known ones.
    """
    global _current, _translation
    code = _normalise(lang)
    if code == "en":
        _translation = gettext.NullTranslations()
    else:
        # fallback=False: a missing compiled catalogue is a broken install, not English
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])
    _current = code


def language() -> str:
    """The language tcplab speaks now: "en" or "zh"."""
    return _current


def _(message: str) -> str:
    """``message`` in the current language (itself if it has no translation)."""
    # gettext("") is the catalogue's header, never a message: an empty text stays empty
    return _translation.gettext(message) if message else message


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (it is stored, and
    passed through ``_()`` when shown)."""
    return message


def width(s: str) -> int:
    """The columns ``s`` takes in a fixed-width font: a Chinese character takes two.

    A text table lines up in both languages only if it is padded by this, not len()."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def ljust(s: str, columns: int) -> str:
    """``s`` padded with spaces to ``columns`` columns (see :func:`width`)."""
    return s + " " * max(0, columns - width(s))


def _from_environment() -> None:
    lang = os.environ.get("TCPLAB_LANG", "").strip()
    if not lang:
        return
    try:
        set_language(lang)
    except ValueError as error:
        # importing tcplab must not fail over a setting: say so, and speak English
        warnings.warn(f"TCPLAB_LANG={lang!r} ignored: {error}", stacklevel=2)


_from_environment()
