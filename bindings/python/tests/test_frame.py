"""Client.customers_frame: pandas and polars, against enneo-mock."""

from __future__ import annotations

import sys

import pytest

import enneo
from conftest import Mock

BIG = 12345678901234567890  # beyond 2^53 and beyond int64


def test_pandas_frame_has_a_row_per_contract_typed_columns_and_errors_in_place(mock: Mock) -> None:
    pd = pytest.importorskip("pandas")
    client = enneo.Client(base_url=mock.base_url, token="t")
    frame = client.customers_frame([1, "0042", "x" * 51, BIG], concurrency=3)
    assert list(frame["id"]) == [1, "0042", "x" * 51, BIG]
    assert list(frame["customer_id"])[:2] == [1, "0042"]
    # What the server sent, every digit kept.
    assert frame["customer_id"].iloc[3] == client.get_customer(BIG).id
    assert str(frame["customer_id"].iloc[3]) == str(BIG)
    assert frame["error"].isna().tolist() == [True, True, False, True]
    assert "404" in frame["error"].iloc[2]
    assert str(frame["contract_start_date"].dtype) == "datetime64[us, UTC]"
    assert str(frame["contract_monthly_deposit"].dtype) == "float64"
    assert str(frame["contract_status_code"].dtype) == "Int64"
    assert str(frame["customer_business"].dtype) == "boolean"
    seed = client.get_customer(1)
    contract = (seed.contracts or [])[0]
    row = frame.iloc[0]
    assert row["contract_id"] == contract.id
    assert row["contract_monthly_deposit"] == contract.monthly_deposit
    assert row["contract_start_date"].to_pydatetime() == contract.start_date
    assert row["customer_lastname"] == seed.lastname
    # Column names are the models' snake_case fields.
    assert all(c == c.lower() for c in frame.columns)
    assert isinstance(frame, pd.DataFrame)


def test_pandas_frame_per_customer(mock: Mock) -> None:
    pytest.importorskip("pandas")
    frame = enneo.Client(base_url=mock.base_url, token="t").customers_frame(range(1, 6), contracts=False)
    assert list(frame["customer_id"]) == [1, 2, 3, 4, 5]
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
