"""The shared vectors of tests/vectors, which the Rust and Node suites read
too: request paths, refused ids, payloads (hand-written and 600 generated
from the spec) and the fault matrix."""

from __future__ import annotations

import json
import pathlib
import time
from typing import Any, Dict, List

import pytest

import enneo
from enneo.testing import MockServer

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "tests" / "vectors"


def load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def method(operation_id: str) -> str:
    """The Python method of a spec operationId (``getCustomerByTicketId``)."""
    return "".join("_" + c.lower() if c.isupper() else c for c in operation_id)


def test_paths() -> None:
    with MockServer() as server:
        client = enneo.Client(base_url=server.base_url)
        for case in load("paths.json")["cases"]:
            server.clear_requests()
            customer = getattr(client, method(case["operation"]))(case["id"])
            assert [r["path"] for r in server.requests()] == [case["path"]], case
            assert enneo.same_id(customer.id, case["id"]), case


def _id(case: Dict[str, Any]) -> str:
    if "repeat" in case:
        text, times = case["repeat"]
        return str(text * times)
    return str(case["id"])


def test_invalid_ids() -> None:
    with MockServer() as server:
        client = enneo.Client(base_url=server.base_url)
        for case in load("invalid_ids.json")["cases"]:
            with pytest.raises(enneo.InvalidArgumentError) as info:
                client.get_customer(_id(case))
            assert info.value.code == case["code"] == "invalid_argument"
            assert case["message"] in str(info.value), (case, str(info.value))
        assert server.requests() == []


def _walk(model: Any) -> None:
    """Reads every typed attribute, as a user would."""
    for name, _ in type(model)._fields:
        value = getattr(model, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, enneo.Model):
                _walk(item)


def _payloads() -> List[str]:
    return [c["body"] for c in load("payloads.json")["cases"]] + load("payloads-generated.json")["bodies"]


def test_payloads_keep_every_field_and_digit() -> None:
    bodies = _payloads()
    assert len(bodies) >= 600
    with MockServer(customers=bodies) as server:
        client = enneo.Client(base_url=server.base_url)
        ids = [json.loads(b)["id"] for b in bodies]
        results = client.get_customers(ids, concurrency=16)
        for body, got in zip(bodies, results):
            assert isinstance(got, enneo.Customer), (body[:200], got)
            expected = json.loads(body)
            assert json.dumps(got.to_dict()) == json.dumps(expected), body[:300]
            _walk(got)
            assert json.loads(json.dumps(got.to_dict())) == expected
        # The single-lookup path decodes the same way.
        one = client.get_customer(ids[1])
        assert json.dumps(one.to_dict()) == json.dumps(json.loads(bodies[1]))


FAULTS = load("faults.json")


@pytest.mark.parametrize("case", FAULTS["cases"], ids=[c["name"] for c in FAULTS["cases"]])
def test_fault_matrix(case: Dict[str, Any]) -> None:
    token = FAULTS["token"]
    with MockServer(token=token) as server, MockServer() as other:
        if case.get("base") == "refused":
            closed = MockServer()
            base = closed.base_url
            closed.close()
        else:
            base = server.fault_base_url(case["fault"].replace("{other}", other.url))
        client = enneo.Client(
            base_url=base,
            token=token,
            max_retries=case.get("max_retries", 2),
            timeout=case.get("timeout_ms", 10_000) / 1000,
        )
        started = time.monotonic()
        try:
            outcome: Any = client.get_customer(1)
        except enneo.EnneoError as e:
            outcome = e
        elapsed_ms = (time.monotonic() - started) * 1000
        expect = case["expect"]
        if expect.get("ok"):
            assert isinstance(outcome, enneo.Customer), outcome
            outcome.to_dict()
        else:
            assert isinstance(outcome, enneo.EnneoError), outcome
            assert outcome.code == expect["code"], (outcome.code, str(outcome))
            if "status" in expect:
                assert getattr(outcome, "status_code", None) == expect["status"]
            for shown in (str(outcome), repr(outcome), repr(outcome.__dict__)):
                assert token not in shown
        if "attempts" in expect:
            assert len(server.requests()) == expect["attempts"]
        assert elapsed_ms <= case["within_ms"], elapsed_ms
        assert elapsed_ms >= case.get("min_ms", 0), elapsed_ms
        # The redirect target never sees the token.
        for r in other.requests():
            assert "authorization" not in r["headers"]
        if "{other}" in case.get("fault", ""):
            assert len(other.requests()) == 1
