"""The peer rule from a data file: read (CSV or Parquet) and evaluated on the columnar
engine, each way in a fresh process so that its peak memory is its own.

    python benchmarks/files.py [SIZE]          # default 1,000,000 people

Ways: `usual` reads the file with the project's own readers (a list of dicts); `arrow`
reads it with pyarrow (data/arrowfiles.py) and gives `Rules.evaluate` the records
`read_file` returns; `table` gives it the Arrow table they hold, which is what the
columnar engine takes whole. Prints one line per file and way: seconds to read, to
evaluate, and the peak RSS (MiB).
"""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
WAYS = ("usual", "arrow", "table")


def write_files(folder: Path, size: int) -> list[Path]:
    """The peer population as `person.csv` and `person.parquet`."""
    sys.path.insert(0, str(HERE))
    import pyarrow as pa
    import pyarrow.parquet as parquet
    from data import peer_people

    people = peer_people(size)
    path = folder / "person.csv"
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(people[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(people)
    parquet.write_table(pa.Table.from_pylist(people), folder / "person.parquet")
    return [path, folder / "person.parquet"]


def measure(path: Path, way: str) -> dict[str, Any]:
    """One way, in this process: read `path`, evaluate on the columnar engine."""
    import emurules
    from emurules.data import arrowfiles
    from emurules.data.readers import read_file

    rules = emurules.load(HERE / "peer.emu")
    if way == "usual":
        arrowfiles.ARROW_FROM_BYTES = 1 << 62
    start = time.perf_counter()
    records: Any = read_file(path, kind="person").records
    if way == "table":
        import pyarrow as pa

        records = pa.table(records.native(), names=records.names)
    read = time.perf_counter()
    result = rules.evaluate({"person": records}, year=2025, engine="columnar")
    done = time.perf_counter()
    return {
        "file": path.name,
        "way": way,
        "read_s": round(read - start, 2),
        "evaluate_s": round(done - read, 2),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "recipients": len(result.recipients("peer")),
    }


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--one":
        print(json.dumps(measure(Path(argv[1]), argv[2])))
        return 0
    size = int(argv[0]) if argv else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        for path in write_files(Path(folder), size):
            for way in WAYS:
                command = [sys.executable, __file__, "--one", str(path), way]
                found = subprocess.run(command, capture_output=True, text=True, check=True)
                print(found.stdout.strip(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
