"""Enrich customer ids with their contracts on a Dask cluster of worker
processes.

    ENNEO_BASE_URL=... ENNEO_TOKEN=... python dask_enrich.py [N_IDS] [WORKERS]

The `enneo.Client` made here is pickled into every task (the token travels
with it, so keep the cluster's traffic private) and rebuilt in each worker
process with a connection pool of its own. Each partition streams its ids
through `iter_customers`, so a worker holds one partition's rows at a time.
Prints a JSON summary.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, Iterable, List

import dask.bag as db
from distributed import Client as DaskClient, LocalCluster

import enneo


def enrich(client: enneo.Client, ids: Iterable[int]) -> List[Dict[str, Any]]:
    """One row per id: its contract count, or the error."""
    ids = list(ids)
    rows = []
    for id_, result in zip(ids, client.iter_customers(ids, concurrency=16)):
        row: Dict[str, Any] = {"id": id_, "worker_pid": os.getpid()}
        if isinstance(result, enneo.EnneoError):
            row["error"] = str(result)
        else:
            row["contracts"] = len(result.contracts or [])
            row["lastname"] = result.lastname
        rows.append(row)
    return rows


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    client = enneo.Client()  # ENNEO_BASE_URL and ENNEO_TOKEN
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with DaskClient(cluster):
            bag = db.from_sequence(range(1, n + 1), npartitions=4 * workers)
            rows = bag.map_partitions(lambda part: enrich(client, part)).compute()
    print(
        json.dumps(
            {
                "lookups": len(rows),
                "ids_in_order": [r["id"] for r in rows] == list(range(1, n + 1)),
                "failed": sum("error" in r for r in rows),
                "contracts": sum(r.get("contracts", 0) for r in rows),
                "worker_pids": sorted({r["worker_pid"] for r in rows}),
                "driver_pid": os.getpid(),
            }
        )
    )


if __name__ == "__main__":
    main()
