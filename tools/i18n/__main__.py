"""python -m tools.i18n catalog | notebooks [--no-run] [--rerun] [stem ...]  (see tools/i18n/__init__.py)"""

from __future__ import annotations

import argparse

from . import catalog, notebooks


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.i18n")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("catalog", help="extract tcplab's messages, update the .po, compile .mo")
    nb = commands.add_parser("notebooks", help="update i18n/zh/*.po from the English notebooks "
                             "and generate (and run) notebooks/zh/")
    nb.add_argument("stems", nargs="*", help="notebook names (start a catalogue for a new one); "
                    "default: every notebook that has a catalogue")
    nb.add_argument("--no-run", action="store_true", help="do not execute the generated notebooks")
    nb.add_argument("--rerun", action="store_true", help="generate and run every Chinese "
                    "notebook, even those whose cells did not change (outputs changed)")
    args = parser.parse_args()
    if args.command == "catalog":
        catalog.main()
    else:
        notebooks.main(args.stems, run=not args.no_run, rerun=args.rerun)


if __name__ == "__main__":
    main()
