"""python -m tools.i18n catalog | notebooks|course [--no-run] [--rerun] [name ...]  (see tools/i18n/__init__.py)"""

from __future__ import annotations

import argparse

from . import catalog, course, notebooks


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
    hw = commands.add_parser("course", help="update i18n/zh/course/*.po from the homework's "
                             "source notebooks and generate (and run) course/source/<hw>-zh/")
    hw.add_argument("stems", nargs="*", help="homework names (start a catalogue for a new one); "
                    "default: every homework that has a catalogue")
    hw.add_argument("--no-run", action="store_true", help="do not execute the generated notebooks")
    hw.add_argument("--rerun", action="store_true", help="generate and run them all")
    args = parser.parse_args()
    if args.command == "catalog":
        catalog.main()
    else:
        tool = course if args.command == "course" else notebooks
        tool.main(args.stems, run=not args.no_run, rerun=args.rerun)


if __name__ == "__main__":
    main()
