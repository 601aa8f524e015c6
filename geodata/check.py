"""Validate the data as the app does at start-up: `python -m geodata.check [geodata/records/000.yaml ...]`.

With no arguments (`make check`) it runs exactly what start-up runs: every record
file, ids across all files, the lineage file, the boundaries and the map elements
built from them (the same `build_store` the app calls), then the reviewed place
mentions. With file arguments it checks those record files alone. Prints one line
per problem (file: record: field: message) and a summary per file; exits 1 when
anything is wrong.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from geodata.gazetteer import default_gazetteer
from geodata.records import RECORDS_DIR, check_file, load_industries, load_plans


def check_files(paths: list[Path]) -> int:
    plans, gaz = load_plans(), default_gazetteer()
    codes = {i["code"] for i in load_industries()}
    bad = 0
    for path in paths:
        if not path.exists():
            print(f"{path}: no such file")
            bad += 1
            continue
        records, targets, errors = check_file(path, plans, codes, gaz)
        for e in errors:
            print(e)
        kinds = Counter(r["kind"] for r in records)
        print(
            f"{path.name}: {len(records)} records ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
            f"{len(targets)} targets, {len(errors)} problem(s)"
        )
        bad += len(errors)
    return bad


def check_startup(records_dir: Path = RECORDS_DIR) -> int:
    """What the app's start-up does (layers.store.build_store), with its errors printed instead of raised."""
    from geodata.boundaries import BoundaryFileError, default_boundaries
    from geodata.records import DataErrors, load_dataset
    from layers.mentions import ReviewError, scan_dataset
    from layers.store import build_store

    try:
        dataset = load_dataset(records_dir)
        store = build_store(dataset, default_boundaries())
    except DataErrors as e:
        for err in e.errors:
            print(err)
        return len(e.errors)
    except BoundaryFileError as e:
        print(e)
        return 1
    print(
        f"start-up: {len(store.elements)} elements, {len(dataset.targets)} targets, "
        f"{len(dataset.lineages)} lineages, {len(store.boundaries['prefectures'])} prefectures, "
        f"{sum(len(h) for h in store.section_titles.values())} English heading titles: ok"
    )
    if Path(records_dir).resolve() != RECORDS_DIR:
        return 0  # the reviewed mentions belong to the project's own records
    try:
        balance = scan_dataset(dataset)
    except ReviewError as e:
        print(f"mentions_reviewed.yaml: {e}")
        return 1
    open_ = {p: b.open for p, b in balance.items() if b.open}
    for plan, mentions in open_.items():
        for m in mentions:
            print(
                f"{plan}: place mention '{m.term}' at {m.offset} is neither covered by a record nor reviewed"
            )
    print(
        f"mentions: {sum(len(b.labelled) for b in balance.values())} place mentions, "
        f"{sum(len(m) for m in open_.values())} open"
    )
    return sum(len(m) for m in open_.values())


def main(argv: list[str]) -> int:
    if argv:
        return 1 if check_files([Path(a) for a in argv]) else 0
    bad = check_files(sorted(RECORDS_DIR.glob("*.yaml")))
    bad += check_startup()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
