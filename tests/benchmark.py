"""Benchmark: the whole metric catalogue over the demo data, against DuckDB on the same files.

Timing lives here, not in tests: these machines are shared and noisy, so compare the ratios printed
in one run rather than absolute seconds.

    python -m tests.benchmark --scale 10          # ~600k dossiers a year
    python -m tests.benchmark --scale 58          # the city's volume: ~3.5 million a year

The DuckDB side computes the same dossier metrics (counts, online share, on-time share, repeated
supplements, processing time) by unit and month with hand-written SQL over the same Parquet files;
the engine side computes them through the YAML catalogue, plus every other metric.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from metrics.engine import Request, compute
from metrics.loader import load_config
from sources.catalog import Catalog
from sources.demo import generate

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 11, 14)
DOSSIER_METRICS = (
    "dossiers_received",
    "online_filing_rate",
    "dossiers_on_time_rate",
    "dossiers_multi_supplement_rate",
    "processing_days",
)

DUCKDB_SQL = """
select handling_unit, date_trunc('month', received_at) as month,
  count(*) as received,
  avg((channel = 'online')::int) as online_rate,
  avg(case when finished_at is not null then (finished_at <= due_at and supplement_requests <= 1)::int end) as on_time,
  avg((supplement_requests >= 2)::int) as multi_supplement,
  avg(case when finished_at is not null then epoch(finished_at - received_at) / 86400 end) as days
from read_parquet('{glob}')
where status != 'cancelled' and received_at >= '{since}' and received_at < '{until}'
group by all
"""


def timed(label: str, action, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    print(f"  {label:<58} {best:8.3f} s (best of {repeat})")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=5.0)
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated data in this folder")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    data = args.keep or root / "data"
    if not (data / ".complete").exists():
        started = time.perf_counter()
        counts = generate(data, scale=args.scale)
        print(f"generated {counts['dossiers']:,} dossiers in {time.perf_counter() - started:.1f} s")
    shutil.copytree(REPO / "config", root / "config")
    settings = root / "config" / "settings.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("data_root: ../data", f"data_root: {data}"),
        encoding="utf-8",
    )
    config = load_config(root / "config")
    since = dt.date(2025, 1, 1)
    months = (AS_OF.year - since.year) * 12 + AS_OF.month - since.month + 1

    print(f"\nthe catalogue ({len(config.metrics)} metrics), as of {AS_OF}:")
    catalog = Catalog(config.sources, config.data_root)
    timed(
        "first computation (reads every source)",
        lambda: compute(config, Catalog(config.sources, config.data_root), Request(as_of=AS_OF)),
        repeat=1,
    )
    compute(config, catalog, Request(as_of=AS_OF))
    timed(
        "whole catalogue, one month (sources cached)",
        lambda: compute(config, catalog, Request(as_of=AS_OF)),
    )
    timed(
        f"whole catalogue by unit, {months} months",
        lambda: compute(config, catalog, Request(as_of=AS_OF, periods=months, by=("unit",))),
    )

    print(f"\nthe dossier metrics by unit and month, {since} to {AS_OF}:")
    engine = timed(
        "engine (YAML catalogue -> Polars)",
        lambda: compute(
            config,
            catalog,
            Request(as_of=AS_OF, periods=months, by=("unit",), metrics=DOSSIER_METRICS),
        ),
    )
    try:
        import duckdb
    except ImportError:
        print("  duckdb is not installed: pip install -r tests/requirements.txt")
        return
    sql = DUCKDB_SQL.format(
        glob=data / "dossiers" / "*.parquet", since=since, until=AS_OF + dt.timedelta(days=1)
    )
    connection = duckdb.connect()
    baseline = timed(
        "DuckDB (hand-written SQL over the same Parquet)",
        lambda: connection.execute(sql).fetchall(),
    )
    print(f"\nengine / DuckDB: {engine / baseline:.2f}x")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
