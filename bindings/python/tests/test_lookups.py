"""Lookups, models and bulk, through the installed package's public API."""

from __future__ import annotations

import datetime
import json
import pathlib
import pickle
import re
import subprocess
import sys

import pytest
import yaml

import enneo
from conftest import REPO, SEED

UTC = datetime.timezone.utc


def test_runs_against_the_installed_package() -> None:
    assert "site-packages" in enneo.__file__, enneo.__file__


def test_get_customer_every_seed_field(mock) -> None:
    with enneo.Client(base_url=mock.base_url, token="t") as client:
        c = client.get_customer(83771)
    assert isinstance(c, enneo.Customer)
    assert c.to_dict() == SEED
    assert (c.id, c.email_matches, c.business, c.company) == (83771, True, False, None)
    assert (c.firstname, c.lastname, c.address, c.email) == ("Tom", "Mustermann", "Hugo-Junkers-Str. 5", "tom@mustermann.de")
    assert c.phone == 49123456789 and type(c.phone) is int
    assert [(t.id, t.color, t.name) for t in c.tags] == [(2, "green", "VIP")]
    assert c.additional_data == {}
    k = c.contracts[0]
    assert isinstance(k, enneo.Contract)
    assert (k.id, k.order_id, k.tenant, k.customer_id) == (746839, 123, None, "123")
    assert type(k.customer_id) is str
    assert k.signup_date == datetime.datetime(2022, 8, 22, tzinfo=UTC)
    assert k.start_date == datetime.datetime(2022, 9, 1, tzinfo=UTC)
    assert k.end_date is None
    assert (k.status, k.status_code, k.status_code_title) == ("active", 5000, "active")
    assert (k.energy, k.energy_type_id, k.energy_sub_type_id) == ("electricity", 1, 1)
    assert (k.email, k.firstname, k.lastname) == ("johndoe@example.com", "John", "Doe")
    assert k.delivery_address == "Hugo-Junkers-Str. 5, 82031 Grünwald"
    assert k.iban == "DE89370400440532013000"
    assert isinstance(k.monthly_deposit, float) and k.monthly_deposit == 53.0
    assert (k.consumption, k.counter_number) == (3477.0, "1ESY1160669167")
    assert (k.product_id, k.product_name, k.product_code) == (1, "Flex 24", "flx_24")
    assert (k.campaign_id, k.sales_channel_id) == (1, 1)
    assert (k.unpaid_debt, k.vat_rate, k.base_price, k.working_price) == (109.21, 0.09, 0.09, 0.09)
    assert k.billing_address == "Rechnungssstraße 24, 10587 Berlin"
    assert (k.business, k.phone, k.grid_operator_name) == (False, 491721041689, "E.ON Bayern AG")
    assert k.grid_operator_code == 1000000000000
    assert [r.to_dict() for r in k.registers] == [{}]
    assert [(u.url, u.logo) for u in k.erp_urls] == [("https://erp-system.com/contract/123", "powercloud")]
    assert k.raw_data is None
    ap = k.agent_preview[0]
    assert (ap.label, ap.value, ap.url) == ("Tarif", "Flex 24", "https://erp.example.com/contract/123")
    assert ap.tooltip == "AP: 28.5 ct/kWh\nGP: 149.88 €/Jahr"
    assert (k.tab_preview.color, k.tab_preview.icon) == ("green", "electricity")


def test_sibling_lookups_and_their_paths(mock) -> None:
    client = enneo.Client(base_url=mock.base_url)
    assert client.get_customer_by_contract_id(746839).id == 746839
    assert client.get_customer_by_ticket_id("T-1").id == "T-1"
    assert [r["path"] for r in mock.requests()] == [
        "/api/mind/customer/byContractId/746839",
        "/api/mind/customer/byTicketId/T-1",
    ]


def test_flexible_ids_and_phone_keep_their_form(make_mock) -> None:
    m = make_mock(fixtures={"7": {"id": 7, "phone": "+4901761", "contracts": [{"customerId": "007"}, {"customerId": 7}]}})
    c = enneo.Client(base_url=m.base_url).get_customer("7")
    assert c.id == 7 and type(c.id) is int
    assert c.phone == "+4901761" and type(c.phone) is str
    first, second = c.contracts
    assert first.customer_id == "007" and type(first.customer_id) is str
    assert second.customer_id == 7 and type(second.customer_id) is int
    # 7 and "7" name one customer: same_id says so, while == and hash keep
    # Python's contract (a == b implies hash(a) == hash(b)).
    assert enneo.same_id(c.id, "7") and enneo.same_id(second.customer_id, c.id)
    assert not enneo.same_id(first.customer_id, 7) and not enneo.same_id(None, None)
    assert not enneo.same_id(True, 1)
    assert c.id in {7} and c.id in {c.id: "x"} and "7" not in {c.id}
    ids = [c.id, first.customer_id, second.customer_id, "7"]
    for a in ids:
        for b in ids:
            if a == b:
                assert hash(a) == hash(b)


def test_ids_work_as_keys_sets_and_pandas_index(make_mock) -> None:
    pandas = pytest.importorskip("pandas")
    m = make_mock(fixtures={"7": {"id": 7}, "X-1": {"id": "X-1"}, "8": {"id": "8"}})
    client = enneo.Client(base_url=m.base_url)
    customers = [client.get_customer(i) for i in ("7", "X-1", "8")]
    by_id = {c.id: c for c in customers}
    assert by_id[7] is customers[0] and by_id["X-1"] is customers[1] and by_id["8"] is customers[2]
    assert 7 in {c.id for c in customers}
    frame = pandas.DataFrame({"name": ["a", "b", "c"]}, index=[c.id for c in customers])
    assert frame.loc[7, "name"] == "a" and frame.loc["X-1", "name"] == "b" and frame.loc["8", "name"] == "c"
    assert json.loads(json.dumps([c.to_dict() for c in customers])) == [{"id": 7}, {"id": "X-1"}, {"id": "8"}]


def test_to_dict_round_trips_unknown_fields_and_values(make_mock) -> None:
    payload = {
        "id": "C-1",
        "loyalty": {"tier": 3},
        "company": None,
        "contracts": [{"id": 5, "status": "suspended", "energy": "hydrogen", "meterKind": "smart", "endDate": None}],
    }
    m = make_mock(fixtures={"C-1": payload})
    c = enneo.Client(base_url=m.base_url).get_customer("C-1")
    assert json.loads(json.dumps(c.to_dict())) == payload
    assert c.extra == {"loyalty": {"tier": 3}}
    assert c.contracts[0].status == "suspended" and c.contracts[0].energy == "hydrogen"
    assert c.contracts[0].extra == {"meterKind": "smart"}


def test_repr_equality_and_pickle(mock) -> None:
    client = enneo.Client(base_url=mock.base_url)
    c = client.get_customer(83771)
    assert repr(c).startswith("Customer(id=83771, email_matches=True")
    assert "contracts=[1 Contract(s)]" in repr(c)
    assert c == client.get_customer("83771")
    assert c != client.get_customer(1)
    again = pickle.loads(pickle.dumps(c))
    assert again == c and type(again) is enneo.Customer
    assert again.contracts[0].customer_id == "123"
    assert "unpaid_debt" in dir(c.contracts[0])


def test_models_cover_every_spec_property() -> None:
    spec = yaml.safe_load((REPO / "openapi.yaml").read_text())
    schemas = spec["components"]["schemas"]
    for name in ["Customer", "Contract", "Tag", "ErpUrl", "AgentPreviewItem", "TabPreview", "Register"]:
        cls = getattr(enneo, name)
        for prop in schemas[name].get("properties", {}):
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", prop).lower()
            assert isinstance(getattr(cls, snake, None), property), f"{name}.{snake} missing"
        assert {j for _, j in cls._fields} == set(schemas[name].get("properties", {}))


def test_html_card(mock) -> None:
    c = enneo.Client(base_url=mock.base_url).get_customer(83771)
    card = c._repr_html_()
    for text in ["Tom Mustermann", "VIP", "Flex 24", "active", "109.21 €", "2022-09-01", "<table>"]:
        assert text in card


def test_contracts_frame(mock) -> None:
    pandas = pytest.importorskip("pandas")
    df = enneo.Client(base_url=mock.base_url).get_customer(83771).contracts_frame()
    assert isinstance(df, pandas.DataFrame)
    assert df.shape[0] == 1
    assert df.loc[0, "unpaid_debt"] == 109.21
    assert str(df.loc[0, "start_date"].date()) == "2022-09-01"


def test_contracts_frame_without_pandas_is_a_clear_import_error(mock) -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import enneo\n"
        f"c = enneo.Client(base_url={mock.base_url!r}).get_customer(1)\n"
        "try:\n    c.contracts_frame()\nexcept ImportError as e:\n    print('IMPORTERROR', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert "IMPORTERROR" in out.stdout and "pip install pandas" in out.stdout, out.stderr


def test_bulk_keeps_order_and_failures(make_mock) -> None:
    m = make_mock(fixtures={"1": {"id": 1}, "3": {"id": 3}})
    results = enneo.Client(base_url=m.base_url).get_customers([1, 2, "3", 4], concurrency=2)
    assert [type(r).__name__ for r in results] == ["Customer", "NotFoundError", "Customer", "NotFoundError"]
    assert results[0].id == 1 and results[2].id == 3
    assert results[1].status_code == 404


def test_bulk_progress_with_tqdm(mock, capsys) -> None:
    pytest.importorskip("tqdm")
    results = enneo.Client(base_url=mock.base_url).get_customers(range(1, 21), concurrency=4, progress=True)
    assert len(results) == 20 and all(isinstance(r, enneo.Customer) for r in results)
    assert "20/20" in capsys.readouterr().err


def test_bulk_progress_plain_fallback(mock) -> None:
    code = (
        "import sys; sys.modules['tqdm'] = None; sys.modules['tqdm.auto'] = None\n"
        "import enneo\n"
        f"r = enneo.Client(base_url={mock.base_url!r}).get_customers([1, 2, 3], progress=True)\n"
        "print(len(r))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "3"
    assert "customers: 3/3" in out.stderr


def test_async_client_lookups_and_bulk(make_mock) -> None:
    import asyncio

    m = make_mock(fixtures={"1": {"id": 1}, "2": {"id": 2}})

    async def main() -> list:
        async with enneo.AsyncClient(base_url=m.base_url) as client:
            one = await client.get_customer(1)
            many = await client.get_customers([2, 404, 1], concurrency=2, progress=True)
            both = await asyncio.gather(client.get_customer(1), client.get_customer(2))
            return [one, many, both]

    one, many, both = asyncio.run(main())
    assert one.id == 1
    assert [type(x).__name__ for x in many] == ["Customer", "NotFoundError", "Customer"]
    assert [c.id for c in both] == [1, 2]


def test_without_a_base_url_the_client_refuses_to_start() -> None:
    # No default host: a token must never go to the demo by accident.
    with pytest.raises(enneo.InvalidArgumentError, match="ENNEO_BASE_URL"):
        enneo.Client(token="t")
    assert enneo.Client(base_url=enneo.DEMO_BASE_URL).base_url == enneo.DEMO_BASE_URL


def test_environment_configures_the_client(mock, monkeypatch) -> None:
    monkeypatch.setenv("ENNEO_BASE_URL", mock.base_url)
    monkeypatch.setenv("ENNEO_TOKEN", "env-token")
    client = enneo.Client()
    assert client.base_url == mock.base_url
    client.get_customer(1)
    assert mock.requests()[0]["headers"]["authorization"] == "Bearer env-token"


def test_notebook_example_runs(mock) -> None:
    import os

    env = dict(os.environ, ENNEO_BASE_URL=mock.base_url)
    out = subprocess.run([sys.executable, str(REPO / "bindings/python/examples/notebook.py")], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "100 of 100 found" in out.stdout
    assert "Flex 24" in out.stdout and "enneo-customer" in out.stdout
