"""customers_arrow: Arrow record batches from the Rust core, read by pyarrow,
polars and DuckDB through the PyCapsule interface, against the mock."""

import asyncio
import json
import pathlib
import subprocess
import sys
from decimal import Decimal

import duckdb
import polars as pl
import pyarrow as pa
import pytest

import enneo
from enneo.testing import MockServer

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "tests" / "vectors"
BIG = "123456789012345678901234567890"
ODD = (
    '{"id": ' + BIG + ', "firstname": "Ada", "business": "yes", "phone": 4915112345678,'
    ' "loyaltyTier": "gold", "additionalData": {"a": [1, 2.50]},'
    ' "tags": [{"id": 2, "name": "VIP", "since": 2020}],'
    ' "contracts": [{"id": "C-1", "signupDate": 1661126400, "monthlyDeposit": 49.9, "statusCode": "n/a"}]}'
)


@pytest.fixture(scope="module")
def server():
    with MockServer(customers=[ODD, {"id": 7, "firstname": "Bo"}], token="t") as m:
        yield m


@pytest.fixture
def client(server):
    return enneo.Client(base_url=server.base_url, token="t", max_retries=0)


def test_pyarrow_reads_every_id_in_order_with_exact_values_and_errors_as_rows(client):
    ids = [BIG, 404, 7, "", 7]
    reader = pa.RecordBatchReader.from_stream(client.customers_arrow(ids, batch_size=2))
    batches = list(reader)
    assert [b.num_rows for b in batches] == [2, 2, 1]
    table = pa.Table.from_batches(batches)
    rows = table.to_pylist()
    assert [r["_id"] for r in rows] == [BIG, "404", "7", "", "7"]
    ada = rows[0]
    assert ada["id"] == BIG and ada["phone"] == "4915112345678" and ada["firstname"] == "Ada"
    assert ada["business"] is None
    assert json.loads(ada["_extra"]) == {"business": "yes", "loyaltyTier": "gold"}
    assert ada["additionalData"] == '{"a":[1,2.50]}'
    assert ada["tags"] == [{"id": 2, "color": None, "name": "VIP", "_extra": '{"since":2020}'}]
    contract = ada["contracts"][0]
    assert contract["id"] == "C-1" and contract["monthlyDeposit"] == 49.9
    assert contract["signupDate"].timestamp() == 1661126400
    assert contract["statusCode"] is None and contract["_extra"] == '{"statusCode":"n/a"}'
    assert table.schema.field("contracts").type.value_type.field("signupDate").type == pa.timestamp("s", tz="+00:00")
    assert (rows[1]["_error_code"], rows[1]["id"]) == ("not_found", None)
    assert rows[3]["_error_code"] == "invalid_argument" and "empty" in rows[3]["_error_message"]
    assert rows[4]["firstname"] == "Bo" and rows[4]["_error_code"] is None


def test_polars_and_duckdb_read_it_and_it_reads_once(client):
    frame = pl.DataFrame(client.customers_arrow([7, BIG]))
    assert frame["id"].to_list() == ["7", BIG]
    stream = client.customers_arrow([7, 7, 404])
    assert duckdb.sql("select _id, firstname, _error_code from stream").fetchall() == [
        ("7", "Bo", None),
        ("7", "Bo", None),
        ("404", None, "not_found"),
    ]
    with pytest.raises(ValueError, match="already read"):
        pa.table(stream)


def test_async_client_and_bad_arguments(server):
    async def main():
        async with enneo.AsyncClient(base_url=server.base_url, token="t") as client:
            return await asyncio.to_thread(pa.table, client.customers_arrow([7]))

    assert asyncio.run(main()).column("firstname").to_pylist() == ["Bo"]
    client = enneo.Client(base_url=server.base_url, token="t")
    with pytest.raises(enneo.InvalidArgumentError, match="concurrency"):
        client.customers_arrow([1], concurrency=0)
    with pytest.raises(TypeError, match="single str"):
        client.customers_arrow("7")


def test_progress_moves_with_each_batch_and_ends_at_the_total(server):
    # Without tqdm, the plain line on stderr shows each count it was given.
    code = f"""
import sys
sys.modules["tqdm"] = None
sys.modules["tqdm.auto"] = None
import enneo, pyarrow
c = enneo.Client(base_url={server.base_url!r}, token="t")
print(pyarrow.table(c.customers_arrow([7] * 5 + [404], batch_size=2, progress=True)).num_rows)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "6"
    # (text mode reads each "\r" as a line end)
    assert out.stderr.splitlines() == ["", "customers: 2/6", "customers: 4/6", "customers: 6/6"]


def test_pyarrow_is_not_needed(server):
    # polars reads the capsule itself: enneo works with pyarrow unimportable.
    code = f"""
import sys
sys.modules["pyarrow"] = None
import enneo, polars
c = enneo.Client(base_url={server.base_url!r}, token="t")
print(polars.DataFrame(c.customers_arrow([7]))["firstname"].to_list())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['Bo']"


# --- conformance: the shared payloads through the columnar path -------------


class Num(str):
    """A JSON number's text, as sent."""


def _loads(text: str) -> object:
    return json.loads(text, parse_int=Num, parse_float=Num)


def _dec(v: object) -> object:
    """JSON with each number as a Decimal of its text: equal when the digits
    and value are."""
    if isinstance(v, Num):
        return Decimal(v)
    if isinstance(v, list):
        return [_dec(x) for x in v]
    if isinstance(v, dict):
        return {k: _dec(x) for k, x in v.items()}
    return v


def _is_int(v: object) -> bool:
    return isinstance(v, Num) and all(c not in v for c in ".eE") and -(2**63) <= int(v) < 2**63


def _cell(t: pa.DataType, v: object, json_text: bool) -> object:
    """What the column of type ``t`` holds for the JSON value ``v``, or
    raises ``ValueError`` when it does not fit (the value goes to ``_extra``)."""
    if v is None:
        return None
    if json_text:
        return _dec(v)
    if pa.types.is_string(t):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):  # Num included: its exact text
            return str(v)
    elif pa.types.is_int64(t) and _is_int(v):
        return int(v)  # type: ignore[arg-type]
    elif pa.types.is_float64(t) and isinstance(v, Num) and float(v) not in (float("inf"), float("-inf")):
        return float(v)
    elif pa.types.is_boolean(t) and isinstance(v, bool):
        return v
    elif pa.types.is_timestamp(t) and t.unit == "s" and _is_int(v) and -62135596800 <= int(v) <= 253402300799:  # type: ignore[arg-type]
        return int(v)  # type: ignore[arg-type]
    elif pa.types.is_struct(t) and isinstance(v, dict):
        return _object(t, v)
    elif pa.types.is_list(t) and isinstance(v, list):
        item = t.value_field
        return [_cell(item.type, x, _json_text(item)) for x in v]
    raise ValueError(v)


def _json_text(f: pa.Field) -> bool:
    return (f.metadata or {}).get(b"enneo.json_text") == b"true"


def _object(t: pa.StructType, obj: dict) -> dict:
    rest, out, extra = dict(obj), {}, {}
    for f in t:
        if f.name == "_extra":
            continue
        v = rest.pop(f.name, None)
        try:
            out[f.name] = _cell(f.type, v, _json_text(f))
        except ValueError:
            out[f.name], extra[f.name] = None, v
    extra.update(rest)
    out["_extra"] = _dec(extra) if extra else None
    return out


def _got(t: pa.DataType, v: object, json_text: bool) -> object:
    """An Arrow cell in the form `_cell` gives."""
    if v is None:
        return None
    if json_text:
        return _dec(_loads(v))  # type: ignore[arg-type]
    if pa.types.is_timestamp(t):
        return int(v.timestamp())  # type: ignore[attr-defined]
    if pa.types.is_struct(t):
        out = {f.name: _got(f.type, v[f.name], _json_text(f)) for f in t if f.name != "_extra"}  # type: ignore[index]
        out["_extra"] = None if v["_extra"] is None else _dec(_loads(v["_extra"]))  # type: ignore[index]
        return out
    if pa.types.is_list(t):
        return [_got(t.value_type, x, _json_text(t.value_field)) for x in v]  # type: ignore[attr-defined]
    return v


def test_shared_payloads_come_back_exact_through_arrow() -> None:
    payloads = json.loads((VECTORS / "payloads.json").read_text(encoding="utf-8"))
    generated = json.loads((VECTORS / "payloads-generated.json").read_text(encoding="utf-8"))
    bodies = [c["body"] for c in payloads["cases"]] + generated["bodies"]
    assert len(bodies) >= 612
    with MockServer(customers=bodies) as server:
        client = enneo.Client(base_url=server.base_url)
        ids = [json.loads(b)["id"] for b in bodies]
        table = pa.table(client.customers_arrow(ids, concurrency=16, batch_size=100))
    assert table.num_rows == len(bodies)
    customer = pa.struct([f for f in table.schema if f.name not in ("_id", "_error_code", "_error_message")])
    for body, row in zip(bodies, table.to_pylist()):
        assert row["_error_code"] is None, (body[:200], row["_error_message"])
        expected = _object(customer, _loads(body))  # type: ignore[arg-type]
        assert _got(customer, row, False) == expected, body[:300]
