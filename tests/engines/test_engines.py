"""The data-at-scale guide's Spark and Ray code, run for real (`make test-engines`).

Each engine runs in local mode on this machine, its workers in processes of
their own, against the mock on loopback. The code is the guide's own: the
block after `<!-- engine: NAME -->` in docs/guides/data-at-scale.md, loaded
as a module that is not `__main__`, so its functions and classes travel to
the workers by value, as a notebook's do. Needs the wheel, pyspark, ray and
a Java runtime (tests/engines/requirements.txt).
"""

from __future__ import annotations

import os
import pathlib
import re
import sys
from typing import Any, Dict, Iterator, List

import pyarrow as pa
import pytest

import enneo
from enneo.testing import MockServer

REPO = pathlib.Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "guides" / "data-at-scale.md"
KNOWN = 300
UNKNOWN = ["unknown-1", "unknown-2"]
# Every mock here wants this token; the workers (Spark's and Ray's, started
# from this process) read it from their environment.
os.environ["ENNEO_TOKEN"] = "t"


def guide_code(engine: str, base_url: str) -> Dict[str, Any]:
    """The guide's block for `engine`, run as a module with ENNEO_BASE_URL
    set to `base_url` (its client reads it when made)."""
    text = GUIDE.read_text(encoding="utf-8")
    m = re.search(rf"<!-- engine: {engine} -->\n<!-- check -->\n```python\n(.*?)```", text, re.S)
    assert m, f"no {engine} block in {GUIDE}"
    os.environ["ENNEO_BASE_URL"] = base_url
    namespace: Dict[str, Any] = {"__name__": f"guide_{engine}"}
    exec(compile(m.group(1), f"{GUIDE}:{engine}", "exec"), namespace)
    return namespace


def fresh_mock() -> MockServer:
    """The mock with customers 1 to KNOWN, `lastname` L1, L2, ..."""
    return MockServer([{"id": i, "lastname": f"L{i}"} for i in range(1, KNOWN + 1)], token="t")


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with fresh_mock() as server:
        yield server


def ids_wanted() -> List[str]:
    return [str(i) for i in range(1, KNOWN + 1)] + UNKNOWN


def check_rows(rows: List[Dict[str, Any]]) -> None:
    """Every id once, with its customer or its error."""
    by_id = {r["_id"]: r for r in rows}
    assert len(rows) == len(by_id) == KNOWN + len(UNKNOWN)
    for i in range(1, KNOWN + 1):
        assert (by_id[str(i)]["lastname"], by_id[str(i)]["_error_code"]) == (f"L{i}", None)
    for unknown in UNKNOWN:
        assert (by_id[unknown]["lastname"], by_id[unknown]["_error_code"]) == (None, "not_found")


def span_seconds(server: MockServer) -> float:
    times = [r["received_ms"] for r in server.requests() if "/customer/" in r["path"]]
    return (max(times) - min(times)) / 1000


# --- Spark --------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark(mock: MockServer) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    # The workers run this interpreter, which has enneo and pyarrow.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("enneo-engines")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_map_in_arrow_enriches_every_id_with_one_client_per_executor(spark: Any, mock: MockServer) -> None:
    guide = guide_code("spark", mock.base_url)
    mock.clear_requests()
    frame = spark.createDataFrame([(i,) for i in ids_wanted()], "id string").repartition(8)
    schema = "_id string, lastname string, _error_code string"
    rows = [r.asDict() for r in frame.mapInArrow(guide["enrich"], schema).collect()]
    check_rows(rows)
    # The client's rate limit holds on each of the two executor processes:
    # 302 lookups at 100 a second each take at least about 1.5 s.
    assert mock.stats()["requests"] == len(rows)
    assert span_seconds(mock) >= 0.8 * len(rows) / 200

    # Eight tasks, and each executor process has one client however many
    # of its tasks unpickled it.
    client = guide["client"]

    def whose(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for _ in batches:
            yield pa.record_batch({"pid": [os.getpid()], "client": [id(client)]})

    seen = {(r.pid, r.client) for r in frame.mapInArrow(whose, "pid long, client long").collect()}
    pids = {pid for pid, _ in seen}
    assert len(seen) == len(pids) <= 2


def test_spark_executors_retry_what_the_server_refuses_once(spark: Any) -> None:
    # Every lookup's first request gets a 503 (a mock of its own: the mock
    # counts each path's first requests once); the executors' clients retry.
    with fresh_mock() as mock:
        guide = guide_code("spark", mock.fault_base_url("status=503;fail-first=1"))
        frame = spark.createDataFrame([(i,) for i in ids_wanted()], "id string").repartition(4)
        rows = [r.asDict() for r in frame.mapInArrow(guide["enrich"], "_id string, lastname string, _error_code string").collect()]
        check_rows(rows)
        assert mock.stats()["requests"] == 2 * len(rows)


# --- Ray ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ray_session() -> Iterator[Any]:
    ray = pytest.importorskip("ray")
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ["RAY_DATA_DISABLE_PROGRESS_BARS"] = "1"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()


def test_ray_map_batches_enriches_every_id_with_one_client_per_actor(ray_session: Any, mock: MockServer) -> None:
    # The actors' environment is the one Ray started with: the URL goes
    # to each actor's constructor.
    guide = guide_code("ray", mock.base_url)
    mock.clear_requests()
    data = ray_session.data.from_items([{"id": i} for i in ids_wanted()], override_num_blocks=8)
    kwargs = {"base_url": mock.base_url}
    out = data.map_batches(guide["Enrich"], fn_constructor_kwargs=kwargs, batch_format="pyarrow", batch_size=50, concurrency=2)
    rows = out.take_all()
    check_rows(rows)
    # Two actors, each with its client's limit of 100 a second.
    assert mock.stats()["requests"] == len(rows)
    assert span_seconds(mock) >= 0.8 * len(rows) / 200


def test_ray_actors_retry_what_the_server_refuses_once(ray_session: Any) -> None:
    with fresh_mock() as mock:
        guide = guide_code("ray", mock.base_url)
        data = ray_session.data.from_items([{"id": i} for i in ids_wanted()], override_num_blocks=4)
        fault = mock.fault_base_url("status=503;fail-first=1")
        out = data.map_batches(guide["Enrich"], fn_constructor_kwargs={"base_url": fault}, batch_format="pyarrow", concurrency=2)
        check_rows(out.take_all())
        assert mock.stats()["requests"] == 2 * (KNOWN + len(UNKNOWN))


def test_the_client_pickles_to_one_per_process_as_the_engines_rely_on(mock: MockServer) -> None:
    import pickle

    client = enneo.Client(base_url=mock.base_url)
    data = pickle.dumps(client)
    assert pickle.loads(data) is pickle.loads(data)
