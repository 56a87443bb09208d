"""The library's message catalogue: extract from tcplab/, update each .po, compile each .mo.

Messages are the English strings of ``_("...")`` and ``N_("...")`` in tcplab/ (see
tcplab/text.py).  The .po files keep file names but no line numbers, so that moving code
does not churn the translators' files; the .mo is compiled from the .po and committed,
because tcplab (and the browser edition) reads only the .mo.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tcplab"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "tcplab"
LANGUAGES = ("zh",)
KEYWORDS = {"_": None, "N_": None}
# a fixed date: the header is part of the .mo, and the .mo must be reproducible
FIXED_DATE = datetime(2026, 12, 4, tzinfo=timezone.utc)


def template() -> Catalog:
    """Every message of tcplab/, in the order of the files and lines they appear in."""
    pot = Catalog(project="tcplab", domain=DOMAIN, creation_date=FIXED_DATE,
                  revision_date=FIXED_DATE, fuzzy=False)
    found = extract_from_dir(str(PACKAGE), keywords=KEYWORDS,
                             directory_filter=lambda d: "__pycache__" not in d)
    for filename, lineno, message, comments, context in sorted(found):
        location = ("tcplab/" + filename.replace("\\", "/"), lineno)
        if message in pot:
            pot[message].locations.append(location)
        else:
            pot.add(message, locations=[location], auto_comments=comments, context=context)
    return pot


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path, lang: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def updated(lang: str) -> Catalog:
    """The .po of ``lang`` brought up to date with the code: new messages untranslated
    (or fuzzy, guessed from a similar old one), vanished ones obsolete."""
    path = po_path(lang)
    if path.exists():
        catalog = read(path, lang)
    else:
        catalog = Catalog(locale=lang, project="tcplab", domain=DOMAIN,
                          creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    catalog.update(template(), update_creation_date=False)
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=90, include_lineno=False)
    return buf.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled catalogue (fuzzy translations left out: they are guesses)."""
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def main() -> None:
    for lang in LANGUAGES:
        catalog = updated(lang)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalog))
        # compile what the .po says now, read back as a translator's file would be
        path.with_suffix(".mo").write_bytes(mo_bytes(read(path, lang)))
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{path.relative_to(ROOT)}: {len(catalog) - 1} messages, "
              f"{len(missing)} to translate")
