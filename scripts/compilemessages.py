"""Compile every locale/<lang>/LC_MESSAGES/*.po to .mo without GNU gettext (`make messages`).

Django's own `compilemessages` needs `msgfmt`; this uses polib so the compiled catalogues come out the
same on every machine. Fuzzy entries are left out, as msgfmt does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def compile_catalogue(po_path: Path) -> Path:
    catalogue = polib.pofile(str(po_path))
    for entry in catalogue.fuzzy_entries():
        catalogue.remove(entry)
    mo_path = po_path.with_suffix(".mo")
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
    for po_path in paths:
        mo_path = compile_catalogue(po_path)
        print(f"compiled {mo_path.relative_to(ROOT) if mo_path.is_relative_to(ROOT) else mo_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
