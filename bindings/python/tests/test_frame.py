"""Client.customers_frame: pandas and polars, against enneo-mock."""

from __future__ import annotations

import subprocess
import sys

import pytest

import enneo
from conftest import Mock
from enneo.testing import MockServer

BIG = 12345678901234567890  # beyond 2^53 and beyond int64


def test_pandas_frame_has_a_row_per_contract_typed_columns_and_errors_in_place(mock: Mock) -> None:
    pd = pytest.importorskip("pandas")
    client = enneo.Client(base_url=mock.base_url, token="t")
    frame = client.customers_frame([1, "0042", "x" * 51, BIG], concurrency=3)
    # Ids are their exact text, as in polars: one type per column.
    assert list(frame["id"]) == ["1", "0042", "x" * 51, str(BIG)]
    assert list(frame["customer_id"].iloc[:2]) == ["1", "0042"]
    # What the server sent, every digit kept.
    assert frame["customer_id"].iloc[3] == str(client.get_customer(BIG).id) == str(BIG)
    assert frame["error"].isna().tolist() == [True, True, False, True]
    assert "404" in frame["error"].iloc[2]
    assert str(frame["contract_start_date"].dtype) == "datetime64[us, UTC]"
    assert str(frame["contract_monthly_deposit"].dtype) == "float64"
    assert str(frame["contract_status_code"].dtype) == "Int64"
    assert str(frame["customer_business"].dtype) == "boolean"
    assert isinstance(frame["customer_id"].dtype, pd.StringDtype)
    seed = client.get_customer(1)
    contract = (seed.contracts or [])[0]
    row = frame.iloc[0]
    assert row["contract_id"] == str(contract.id)
    assert row["contract_monthly_deposit"] == contract.monthly_deposit
    assert row["contract_start_date"].to_pydatetime() == contract.start_date
    assert row["customer_lastname"] == seed.lastname
    assert pd.isna(frame["contract_id"].iloc[2])
    # Column names are the models' snake_case scalar fields, in the spec's order.
    names = [n for n, _ in enneo.Customer._fields if n not in ("tags", "contracts", "additional_data")]
    assert [c for c in frame.columns if c.startswith("customer_")] == [f"customer_{n}" for n in names]
    assert isinstance(frame, pd.DataFrame)


def test_nested_frames_keep_lists_objects_and_unknown_fields() -> None:
    pl = pytest.importorskip("polars")
    body = (
        '{"id": 5, "tags": [{"id": 1, "name": "VIP"}], "loyalty": "gold",'
        ' "contracts": [{"id": 9, "registers": [{"obis": "1.8.0"}], "tariffZone": "B"}, {"id": 10}]}'
    )
    with MockServer([body]) as mock:
        client = enneo.Client(base_url=mock.base_url)
        frame = client.customers_frame([5], backend="polars", nested=True)
        flat = client.customers_frame([5], backend="polars")
        per_customer = client.customers_frame([5], backend="polars", contracts=False, nested=True)
    assert frame["contract_id"].to_list() == ["9", "10"]
    assert frame["customer_tags"].to_list()[0][0]["name"] == "VIP"
    assert frame["customer_extra"].to_list() == ['{"loyalty":"gold"}'] * 2
    assert frame["contract_extra"].to_list() == ['{"tariffZone":"B"}', None]
    # A register names no field in the spec: all of it is in its `_extra`.
    assert frame["contract_registers"].to_list()[0] == [{"_extra": '{"obis":"1.8.0"}'}]
    assert "customer_tags" not in flat.columns and "customer_extra" not in flat.columns
    assert [c["id"] for c in per_customer["customer_contracts"].to_list()[0]] == ["9", "10"]
    assert isinstance(frame, pl.DataFrame)


def test_frame_progress_counts_lookups_not_rows(mock: Mock) -> None:
    # Three lookups, each a row per contract: the bar ends at 3 of 3.
    code = (
        "import sys; sys.modules['tqdm'] = None; sys.modules['tqdm.auto'] = None\n"
        "import enneo\n"
        f"print(len(enneo.Client(base_url={mock.base_url!r}, token='t').customers_frame([1, 2, 3], progress=True)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert int(out.stdout) >= 3
    assert out.stderr.splitlines()[-1] == "customers: 3/3"


def test_pandas_frame_per_customer(mock: Mock) -> None:
    pytest.importorskip("pandas")
    frame = enneo.Client(base_url=mock.base_url, token="t").customers_frame(range(1, 6), contracts=False)
    assert list(frame["customer_id"]) == ["1", "2", "3", "4", "5"]
    assert not any(c.startswith("contract_") for c in frame.columns)


def test_polars_frame_keeps_ids_as_exact_text(mock: Mock) -> None:
    pl = pytest.importorskip("polars")
    frame = enneo.Client(base_url=mock.base_url, token="t").customers_frame([1, "0042", BIG], backend="polars")
    assert isinstance(frame, pl.DataFrame)
    assert frame["customer_id"].to_list() == ["1", "0042", str(BIG)]
    assert frame.schema["contract_start_date"] == pl.Datetime("us", "UTC")
    assert frame.schema["contract_monthly_deposit"] == pl.Float64


def test_a_missing_backend_names_the_extra(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    client = enneo.Client(base_url=mock.base_url, token="t")
    for backend in ("pandas", "polars"):
        monkeypatch.setitem(sys.modules, backend, None)  # as if not installed
        with pytest.raises(ImportError, match=rf"pip install enneo\[{backend}\]"):
            client.customers_frame([1], backend=backend)
    with pytest.raises(ValueError, match="backend"):
        client.customers_frame([1], backend="spark")
