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

    # The POST: the body's fields as keywords, checked by the core, sent
    # exact with the extra fields, retried under one Idempotency-Key.
    from enneo import NewReadingParams

    server.clear_requests()
    big = 123456789012345678901234567890
    params: NewReadingParams = {"meter_id": big, "kind": "actual", "value": 7.25}
    created = client.create_reading(**params, read_at=since, extra_body={"source": "app"})
    assert isinstance(created, MeterReading) and created.values == [7.25], created
    sent = server.requests()[-1]
    assert sent["method"] == "POST" and sent["headers"]["content-type"] == "application/json", sent
    body = json.loads(sent["body"])
    assert body == {"meterId": big, "kind": "actual", "value": 7.25, "readAt": "2024-01-01T00:00:00+00:00", "source": "app"}, body
    key = sent["headers"]["idempotency-key"]
    server.clear_requests()
    client.create_reading(meter_id=1, kind="estimated", value=1, extra_headers={"x-mock-fault": "fail-first=1;status=503"})
    first, retry = server.requests()
    assert first["headers"]["idempotency-key"] == retry["headers"]["idempotency-key"] != key, (first, retry)
    assert first["body"] == retry["body"]
    # The caller's own key wins.
    client.create_reading(meter_id=1, kind="actual", value=1, extra_headers={"Idempotency-Key": "mine"})
    assert server.requests()[-1]["headers"]["idempotency-key"] == "mine"
    # A Decimal goes by its digits, never through a float.
    from decimal import Decimal

    client.create_reading(meter_id=1, kind="actual", value=Decimal("0.10000000000000000001"))
    assert '"value":0.10000000000000000001' in server.requests()[-1]["body"], server.requests()[-1]["body"]
    raw = client.with_raw_response.create_reading(meter_id=1, kind="actual", value=2)
    assert raw.status_code == 201 and isinstance(raw.parse(), MeterReading), raw.status_code

    async def post() -> None:
        aclient = enneo.AsyncClient(base_url=server.base_url)
        r = await aclient.create_reading(meter_id="m-1", kind="actual", value=3.5, note=None)
        assert isinstance(r, MeterReading)
        gone = await aclient.delete_reading(2)
        assert gone.kind == "actual"

    asyncio.run(post())
    assert json.loads(server.requests()[-2]["body"]) == {"meterId": "m-1", "kind": "actual", "value": 3.5}
    assert (server.requests()[-1]["method"], server.requests()[-1]["path"], server.requests()[-1]["body"]) == ("DELETE", "/api/mind/reading/2", None)
    before = len(server.requests())
    for call, error, message in [
        (lambda: client.create_reading(meter_id=1, kind="smart", value=1), enneo.InvalidArgumentError, 'body.kind must be one of "actual", "estimated", got "smart"'),
        (lambda: client.create_reading(meter_id=1, kind="actual", value="1"), enneo.InvalidArgumentError, "body.value must be a number, got a string"),
        (lambda: client.create_reading(meter_id=1, kind="actual", value=1, labels={"a": 1}), enneo.InvalidArgumentError, "body.labels.a must be a string, got an integer"),
        (lambda: client.create_reading(meter_id=1, kind="actual", value=1, extra_body={"x": {1, 2}}), enneo.InvalidArgumentTypeError, "body.x cannot be sent as JSON: set"),
        (lambda: client.create_reading(meter_id=1, kind="actual", value=1, extra_body=[1]), enneo.InvalidArgumentTypeError, "extra_body must be a mapping, not list"),
    ]:
        try:
            call()
        except error as e:
            assert str(e).startswith(message), (str(e), message)
        else:
            raise AssertionError(f"{message} was not refused")
    assert len(server.requests()) == before, "a refused body was sent"
    # The mock checks bodies from any client: 400 with the reason.
    import urllib.error
    import urllib.request

    bad = urllib.request.Request(server.base_url + "/reading", data=b'{"meterId": 1, "kind": "actual"}', method="POST", headers={"content-type": "application/json"})
    try:
        urllib.request.urlopen(bad)
    except urllib.error.HTTPError as e:
        assert e.code == 400 and json.loads(e.read())["message"] == "body.value is required", e
    else:
        raise AssertionError("the mock took a body without its required field")
    print("python ok:", len(paths), "requests", file=sys.stderr)
