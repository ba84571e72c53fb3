"""Run by tests/generate/run.sh against the scratch build, after the spec
gained `getCustomerByEmail` and `getContract`: sync, async and raw calls of
both, against the mock, with every digit kept."""

import asyncio
import json
import sys

import enneo
from enneo.testing import MockServer

with MockServer() as server:
    client = enneo.Client(base_url=server.base_url)
    customer = client.get_customer_by_email("tom@example.com")
    assert isinstance(customer, enneo.Customer) and customer.firstname == "Tom", customer
    contract = client.get_contract(746839, timeout=5)
    assert isinstance(contract, enneo.Contract), type(contract)
    assert contract.product_name == "Ökostrom Flex" and contract.id == 12345678901234567890 and contract.unpaid_debt == 12.5, contract
    assert "12345678901234567890" in json.dumps(contract.to_dict())
    client.get_contract(7, "tags")
    raw = client.with_raw_response.get_contract(746839)
    assert raw.status_code == 200 and isinstance(raw.parse(), enneo.Contract), raw
    assert raw.parse().product_name == "Ökostrom Flex"
    assert "getContract" in enneo.Client.get_contract.__doc__ or "Get a contract" in enneo.Client.get_contract.__doc__

    async def main() -> None:
        aclient = enneo.AsyncClient(base_url=server.base_url)
        c = await aclient.get_contract(746839)
        assert isinstance(c, enneo.Contract) and c.vat_rate == 0.19, c
        cust = await aclient.get_customer_by_email("tom@example.com")
        assert cust.firstname == "Tom"
        r = await aclient.with_raw_response.get_customer_by_email("tom@example.com")
        assert isinstance(r.parse(), enneo.Customer)

    asyncio.run(main())
    paths = [r["path"] for r in server.requests()]
    assert paths[2] == "/api/mind/contract/7?expand=tags", paths
    # Faults work on the new route too: one 503, then the example.
    server.clear_requests()
    flaky = enneo.Client(base_url=server.fault_base_url("status=503;retry-after-ms=1;fail-first=1"))
    assert flaky.with_raw_response.get_contract(5).retries_taken == 1
    assert len(server.requests()) == 2
    try:
        enneo.Client(base_url=server.fault_base_url("status=404")).get_contract(5)
    except enneo.NotFoundError:
        pass
    else:
        raise AssertionError("a 404 fault did not raise NotFoundError")
    # The new schema: importable by name, every form typed.
    import datetime
    import uuid

    from enneo import MeterReading, MeterReadingContract, MeterReadingMeter

    reading = client.get_reading(1)
    assert isinstance(reading, MeterReading), type(reading)
    assert reading.read_at == datetime.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=datetime.timezone.utc), reading.read_at
    assert reading.read_on == datetime.date(2024, 1, 2) and reading.uuid == uuid.UUID("123e4567-e89b-12d3-a456-426614174000")
    assert reading.kind == "smart", "an enum value the spec does not list is kept"
    assert reading.quality is None and reading.values == [1.5, 2.0] and reading.labels == {"site": "north"}
    assert isinstance(reading.meter, MeterReadingMeter) and reading.meter.digits == 6 and reading.meter.number == "M-1"
    assert isinstance(reading.contract, MeterReadingContract) and reading.contract.note == "n"
    assert reading.contract.id == 12345678901234567890 and reading.contract.product_name == "Ökostrom Flex"
    assert reading.to_dict()["readAt"] == "2024-01-02T03:04:05.5Z"

    # Typed parameters: written by their type, refused by it.
    server.clear_requests()
    since = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    client.get_reading(1, with_history=True, kinds=["actual", "estimated"], since=since, limit=5, fields=["a", "b c"])
    client.get_reading(2, limit=0)
    assert [r["path"] for r in server.requests()] == [
        "/api/mind/reading/1?withHistory=true&kinds=actual&kinds=estimated&since=2024-01-01T00%3A00%3A00%2B00%3A00&limit=5&fields=a,b%20c",
        "/api/mind/reading/2?limit=0",
    ], server.requests()
    for kwargs, error, message in [
        ({"with_history": "yes"}, enneo.InvalidArgumentTypeError, "with_history must be a bool, not str"),
        ({"kinds": ["smart"]}, enneo.InvalidArgumentError, 'kinds[0] must be one of "actual", "estimated", got "smart"'),
        ({"since": datetime.datetime(2024, 1, 1)}, enneo.InvalidArgumentError, "since must be a datetime with a timezone"),
        ({"limit": 1.5}, enneo.InvalidArgumentTypeError, "limit must be an int, not float"),
    ]:
        try:
            client.get_reading(1, **kwargs)
        except error as e:
            assert str(e).startswith(message), (str(e), message)
        else:
            raise AssertionError(f"{kwargs} was not refused")
    print("python ok:", len(paths), "requests", file=sys.stderr)
