"""The Dask example runs on real worker processes against the mock."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from conftest import Mock

EXAMPLE = pathlib.Path(__file__).parent.parent / "examples" / "dask_enrich.py"


def test_dask_example_enriches_ids_on_two_worker_processes(mock: Mock) -> None:
    pytest.importorskip("distributed")
    env = dict(os.environ, ENNEO_BASE_URL=mock.base_url, ENNEO_TOKEN="dask-token")
    out = subprocess.run([sys.executable, str(EXAMPLE), "3000", "2"], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary["lookups"] == 3000
    assert summary["ids_in_order"] is True
    assert summary["failed"] == 0
    assert summary["contracts"] == 3000  # the seed customer has one contract
    # Two worker processes, neither of them the driver.
    assert len(summary["worker_pids"]) == 2
    assert summary["driver_pid"] not in summary["worker_pids"]
    # Every request carried the token that travelled in the pickle.
    requests = mock.requests()
    assert len(requests) == 3000
    assert {r["headers"]["authorization"] for r in requests} == {"Bearer dask-token"}
