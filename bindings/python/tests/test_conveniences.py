"""Per-request options, derived clients, raw responses, logging, TLS and the
testing kit, through the public API against the mock on loopback."""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import pathlib
import pickle
import subprocess
import sys

import pytest

import enneo
from enneo.testing import MockServer

TLS = pathlib.Path(__file__).resolve().parents[3] / "tests" / "tls"
TOKEN = "sk-live-very-secret-token-1234"


def test_extra_headers_reach_the_server_in_every_call_form() -> None:
    with MockServer(token="t") as server:
        client = enneo.Client(base_url=server.base_url, token="t")
        client.get_customer(1, extra_headers={"X-Correlation-Id": "c-1"})
        client.get_customers([2], extra_headers={"X-Correlation-Id": "c-2"})
        list(client.iter_customers([3], extra_headers={"X-Correlation-Id": "c-3"}))
        asyncio.run(enneo.AsyncClient(base_url=server.base_url, token="t").get_customer(4, extra_headers={"traceparent": "00-ab-cd-01"}))
        log = server.requests()
        assert [r["headers"].get("x-correlation-id") for r in log[:3]] == ["c-1", "c-2", "c-3"]
        assert log[3]["headers"]["traceparent"] == "00-ab-cd-01"
        assert all(r["headers"]["authorization"] == "Bearer t" for r in log)
        # The core names the surface; a derived client keeps it.
        client.with_options(max_retries=0).get_customer(5)
        log = server.requests()
        assert len(log) == 5
        assert {r["headers"]["user-agent"] for r in log} == {f"enneo-python/{enneo.__version__}"}


@pytest.mark.parametrize("name", ["Authorization", "user-agent"])
def test_owned_headers_cannot_be_overridden(name: str) -> None:
    with MockServer() as server:
        client = enneo.Client(base_url=server.base_url)
        with pytest.raises(enneo.InvalidArgumentError, match="cannot be overridden"):
            client.get_customer(1, extra_headers={name: "Bearer stolen"})
        with pytest.raises(TypeError, match="extra_headers"):
            client.get_customer(1, extra_headers=[("a", "b")])  # type: ignore[arg-type]
        assert server.requests() == []


def test_per_request_max_retries_and_timeout() -> None:
    with MockServer() as server:
        client = enneo.Client(base_url=server.fault_base_url("status=503"), max_retries=3)
        with pytest.raises(enneo.InternalServerError):
            client.get_customer(1, max_retries=0)
        assert len(server.requests()) == 1
        with pytest.raises(ValueError, match="max_retries must be 0 or more"):
            client.get_customer(1, max_retries=-1)
        slow = enneo.Client(base_url=server.fault_base_url("delay=3000"), max_retries=0)
        with pytest.raises(enneo.APITimeoutError):
            slow.get_customer(1, timeout=0.2)
        with pytest.raises(ValueError, match="timeout must be a positive, finite number of seconds"):
            slow.get_customer(1, timeout=0)


def test_with_options_derives_a_client_and_keeps_the_original() -> None:
    with MockServer(token="t") as server:
        base = enneo.Client(base_url=server.base_url, token="t", max_retries=2)
        derived = base.with_options(max_retries=0, default_headers={"X-Team": "billing"})
        assert type(derived) is enneo.Client
        assert derived.base_url == base.base_url
        derived.get_customer(1)
        base.get_customer(2)
        log = server.requests()
        assert log[0]["headers"]["x-team"] == "billing"
        assert log[0]["headers"]["authorization"] == "Bearer t"
        assert "x-team" not in log[1]["headers"]
        # A derived client pickles with everything it resolved.
        again = pickle.loads(pickle.dumps(derived))
        again.get_customer(3)
        assert server.requests()[2]["headers"]["x-team"] == "billing"
        asyncio.run(enneo.AsyncClient(base_url=server.base_url, token="t").with_options(timeout=5).get_customer(4))


def test_raw_response_has_status_headers_request_id_and_retries() -> None:
    with MockServer() as server:
        client = enneo.Client(base_url=server.fault_base_url("status=503;retry-after-ms=10;fail-first=1"))
        raw = client.with_raw_response.get_customer(83771)
        assert raw.status_code == 200
        assert raw.request_id is not None and raw.request_id.startswith("req_")
        assert raw.headers["X-Request-Id"] == raw.request_id
        assert raw.headers["content-type"] == "application/json"
        assert raw.retries_taken == 1
        assert isinstance(raw.elapsed, datetime.timedelta) and raw.elapsed >= datetime.timedelta(milliseconds=10)
        customer = raw.parse()
        assert isinstance(customer, enneo.Customer) and customer.id == 83771
        assert raw.json()["id"] == 83771

        async def run() -> enneo.RawResponse:
            return await enneo.AsyncClient(base_url=server.base_url).with_raw_response.get_customer_by_contract_id(5)

        araw = asyncio.run(run())
        assert araw.status_code == 200 and araw.request_id and araw.retries_taken == 0


def test_log_records_go_to_the_enneo_logger(caplog: pytest.LogCaptureFixture) -> None:
    with MockServer(token=TOKEN) as server:
        client = enneo.Client(base_url=server.fault_base_url("status=500;retry-after-ms=1;fail-first=1"), token=TOKEN)
        with caplog.at_level(logging.DEBUG, logger="enneo"):
            client.get_customer(5)
        records = [r for r in caplog.records if r.name == "enneo"]
        assert [r.levelno for r in records] == [logging.INFO, logging.DEBUG]
        assert "retry 1" in records[0].getMessage()
        done = records[1]
        assert "-> 200" in done.getMessage()
        assert done.status_code == 200  # type: ignore[attr-defined]
        assert done.request_id.startswith("req_")  # type: ignore[attr-defined]
        assert done.retries == 1  # type: ignore[attr-defined]
        # The core's one set of field names (camelCase in Node).
        assert done.operation == "getCustomerByCustomerId"  # type: ignore[attr-defined]
        assert done.method == "GET"  # type: ignore[attr-defined]
        assert done.url_path.endswith("/customer/byCustomerId/5")  # type: ignore[attr-defined]
        assert done.error_code is None  # type: ignore[attr-defined]
        assert isinstance(done.elapsed_ms, float)  # type: ignore[attr-defined]
        assert records[0].error_code == "internal_server_error"  # type: ignore[attr-defined]
        assert all(TOKEN not in r.getMessage() and TOKEN not in str(r.__dict__) for r in records)

        # Off unless the logger takes the level: nothing at WARNING.
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="enneo"):
            client.get_customer(6)
        assert [r for r in caplog.records if r.name == "enneo"] == []

        # Bulk calls log from the I/O thread into the same logger.
        with caplog.at_level(logging.DEBUG, logger="enneo"):
            enneo.Client(base_url=server.base_url, token=TOKEN).get_customers([7, 8])
        assert len([r for r in caplog.records if r.name == "enneo" and r.levelno == logging.DEBUG]) == 2


def test_enneo_log_env_prints_to_stderr() -> None:
    with MockServer(token=TOKEN) as server:
        code = "import enneo, sys; enneo.Client(base_url=sys.argv[1], token=sys.argv[2]).get_customer(1)"
        env = dict(os.environ, ENNEO_LOG="debug")
        out = subprocess.run([sys.executable, "-c", code, server.base_url, TOKEN], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert "enneo DEBUG" in out.stderr and "/customer/byCustomerId/1 -> 200" in out.stderr, out.stderr
        assert TOKEN not in out.stderr


def _tls_server() -> MockServer:
    return MockServer(tls_cert=TLS / "server.pem", tls_key=TLS / "server-key.pem")


def test_tls_lookup_trusts_only_the_given_ca() -> None:
    with _tls_server() as server:
        assert server.base_url.startswith("https://127.0.0.1:")
        with pytest.raises(enneo.APIConnectionError, match="(?i)certificate"):
            enneo.Client(base_url=server.base_url, max_retries=0).get_customer(1)
        for ca in (TLS / "ca.pem", (TLS / "ca.pem").read_text()):
            assert enneo.Client(base_url=server.base_url, ca_cert=ca).get_customer(83771).id == 83771
        with pytest.raises(enneo.InvalidArgumentError, match="nonexistent"):
            enneo.Client(base_url=server.base_url, ca_cert="/nonexistent/ca.pem")


def test_ssl_cert_file_is_honoured() -> None:
    with _tls_server() as server:
        code = "import enneo, sys; print(enneo.Client(base_url=sys.argv[1]).get_customer(1).id)"
        env = dict(os.environ, SSL_CERT_FILE=str(TLS / "ca.pem"))
        out = subprocess.run([sys.executable, "-c", code, server.base_url], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "1"


# --- What the README shows: a user's own code, tested with enneo.testing ---


def greeting(client: enneo.Client, customer_id: int) -> str:
    try:
        customer = client.get_customer(customer_id)
    except enneo.NotFoundError:
        return "Who are you?"
    except enneo.APIStatusError as e:
        return f"error: {e.status_code}"
    return f"Hello, {customer.firstname}!"


def test_a_user_tests_their_code_with_mock_server() -> None:
    big = 2**64 + 1
    with MockServer(customers=[{"id": 7, "firstname": "Ada", "contracts": [{"id": 70}], "extra": big}], token="t") as server:
        client = enneo.Client(base_url=server.base_url, token=server.token, max_retries=0)
        assert greeting(client, 7) == "Hello, Ada!"
        assert greeting(client, 8) == "Who are you?"
        assert client.get_customer_by_contract_id(70).extra == {"extra": big}
        failing = enneo.Client(base_url=server.fault_base_url("status=503"), token="t", max_retries=0)
        assert greeting(failing, 7) == "error: 503"
        assert [r["path"] for r in server.requests()][:2] == ["/api/mind/customer/byCustomerId/7", "/api/mind/customer/byCustomerId/8"]
    with pytest.raises(enneo.EnneoError, match="closed"):
        server.requests()


def test_the_pytest_fixtures(enneo_mock: MockServer, enneo_client: enneo.Client) -> None:
    assert greeting(enneo_client, 83771) == "Hello, Tom!"
    assert enneo_mock.requests()[0]["headers"]["authorization"] == f"Bearer {enneo_mock.token}"
