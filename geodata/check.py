"""Validate plan record files: `python -m geodata.check [geodata/records/000.yaml ...]`.

Prints one line per problem (file: record: field: message) and a count per
kind; exits 1 when anything is wrong. With no arguments, checks every file and
then geodata/lineage.yaml against all their records.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from geodata.gazetteer import default_gazetteer
from geodata.records import LINEAGE_FILE, RECORDS_DIR, check_file, check_lineages, load_industries, load_plans


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(RECORDS_DIR.glob("*.yaml"))
    plans, gaz = load_plans(), default_gazetteer()
    codes = {i["code"] for i in load_industries()}
    bad = 0
    everything = []
    for path in paths:
        if not path.exists():
            print(f"{path}: no such file")
            bad += 1
            continue
        records, targets, errors = check_file(path, plans, codes, gaz)
        for e in errors:
            print(e)
        kinds = Counter(r["kind"] for r in records)
        print(f"{path.name}: {len(records)} records ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
              f"{len(targets)} targets, {len(errors)} problem(s)")
        bad += len(errors)
        everything += records
    if not argv:  # lineages link records of every plan, so only a full check can judge them
        lineages, errors = check_lineages(LINEAGE_FILE, everything)
        for e in errors:
            print(e)
        print(f"{LINEAGE_FILE.name}: {len(lineages)} lineages, {len(errors)} problem(s)")
        bad += len(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
