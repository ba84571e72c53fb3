"""Errors, retries and secrets, through the public API against enneo-mock."""

from __future__ import annotations

import pickle
import socket
import time

import pytest

import enneo

SECRET = "sk-very-secret-token-98765"


def test_status_errors_have_their_classes_and_are_not_retried(make_mock) -> None:
    m = make_mock(token="right")
    with pytest.raises(enneo.AuthenticationError) as e:
        enneo.Client(base_url=m.base_url, token=SECRET).get_customer(1)
    assert e.value.status_code == 401 and e.value.code == "authentication_error"
    assert e.value.request_id.startswith("req_")
    assert b"invalid bearer token" in e.value.body
    assert len(m.requests()) == 1
    for status, cls in [(400, enneo.BadRequestError), (403, enneo.PermissionDeniedError), (404, enneo.NotFoundError)]:
        m.clear()
        with pytest.raises(cls) as e:
            enneo.Client(base_url=m.faulty(f"status={status}"), token="right").get_customer(1)
        assert e.value.status_code == status
        assert isinstance(e.value, enneo.APIStatusError) and isinstance(e.value, enneo.EnneoError)
        assert len(m.requests()) == 1, f"{status} was retried"


@pytest.mark.parametrize(
    "status, cls, code, text",
    [
        (422, enneo.UnprocessableEntityError, "unprocessable_entity", "HTTP 422 unprocessable entity"),
        (408, enneo.APIStatusError, "request_timeout", "HTTP 408 request timeout"),
        (418, enneo.APIStatusError, "api_status_error", "HTTP 418 unexpected status"),
    ],
)
def test_status_message_and_code_agree(mock, status, cls, code, text) -> None:
    with pytest.raises(cls) as e:
        enneo.Client(base_url=mock.faulty(f"status={status}"), max_retries=0).get_customer(1)
    assert type(e.value) is cls and e.value.status_code == status
    assert e.value.code == code
    assert str(e.value).startswith(text + ": injected fault"), str(e.value)


def test_bulk_returns_invalid_ids_as_enneo_errors(mock) -> None:
    results = enneo.Client(base_url=mock.base_url).get_customers(["", 1, "a\nb"])
    bad, good, control = results
    assert isinstance(good, enneo.Customer) and good.id == 1
    for err in (bad, control):
        # What the annotation promises (Customer | EnneoError), and still a
        # ValueError for code that catches that.
        assert isinstance(err, enneo.InvalidArgumentError)
        assert isinstance(err, enneo.EnneoError) and isinstance(err, ValueError)
        assert err.code == "invalid_argument"
    assert "must not be empty" in str(bad) and "control characters" in str(control)
    assert [r["path"] for r in mock.requests()] == ["/api/mind/customer/byCustomerId/1"]
    assert pickle.loads(pickle.dumps(bad)).code == "invalid_argument"


def test_not_found_from_fixtures(make_mock) -> None:
    m = make_mock(fixtures={})
    with pytest.raises(enneo.NotFoundError, match="HTTP 404 not found: Customer not found"):
        enneo.Client(base_url=m.base_url).get_customer(999)


def test_rate_limit_retry_after_then_success(mock) -> None:
    started = time.monotonic()
    c = enneo.Client(base_url=mock.faulty("retry-after=1;fail-first=1")).get_customer(3)
    assert c.id == 3
    assert 0.95 <= time.monotonic() - started < 3
    assert len(mock.requests()) == 2


def test_server_errors_retried_then_exhausted(mock) -> None:
    assert enneo.Client(base_url=mock.faulty("status=500;fail-first=2")).get_customer(1).id == 1
    assert len(mock.requests()) == 3
    mock.clear()
    with pytest.raises(enneo.InternalServerError) as e:
        enneo.Client(base_url=mock.faulty("status=503;retry-after-ms=5"), max_retries=3).get_customer(1)
    assert e.value.status_code == 503
    assert len(mock.requests()) == 4
    assert e.value.attempts == 4, "the error says how many attempts the mock saw"


def test_every_error_says_its_attempts(mock) -> None:
    with pytest.raises(enneo.NotFoundError) as nf:
        enneo.Client(base_url=mock.faulty("status=404")).get_customer(1)
    assert nf.value.attempts == 1
    with pytest.raises(enneo.DecodeError) as de:
        enneo.Client(base_url=mock.faulty("malformed"), max_retries=0).get_customer(1)
    assert de.value.attempts == 1 and de.value.status_code == 200
    with pytest.raises(enneo.InvalidArgumentError) as ia:
        enneo.Client(base_url=mock.base_url).get_customer("")
    assert ia.value.attempts is None, "nothing was sent"
    bulk = enneo.Client(base_url=mock.faulty("status=500"), max_retries=1).get_customers([1, 2])
    assert [type(r) for r in bulk] == [enneo.InternalServerError] * 2
    assert [r.attempts for r in bulk] == [2, 2]


def test_rate_limit_exhausted(mock) -> None:
    with pytest.raises(enneo.RateLimitError):
        enneo.Client(base_url=mock.faulty("retry-after-ms=1"), max_retries=1).get_customer(1)


def test_timeout(mock) -> None:
    client = enneo.Client(base_url=mock.faulty("delay=5000"), timeout=0.3, max_retries=0)
    started = time.monotonic()
    with pytest.raises(enneo.APITimeoutError):
        client.get_customer(1)
    assert time.monotonic() - started < 1.5


def test_per_call_timeout(mock) -> None:
    client = enneo.Client(base_url=mock.faulty("delay=5000"), max_retries=0)
    started = time.monotonic()
    with pytest.raises(enneo.APITimeoutError) as e:
        client.get_customer(1, timeout=0.2)
    assert isinstance(e.value, enneo.APIConnectionError)
    assert time.monotonic() - started < 1.5


def test_connection_refused() -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(enneo.APIConnectionError) as e:
        enneo.Client(base_url=f"http://127.0.0.1:{port}/api/mind", max_retries=0).get_customer(1)
    assert not isinstance(e.value, enneo.APITimeoutError)
    assert "refused" in str(e.value).lower()


def test_malformed_bodies_are_decode_errors_and_broken_ones_connection_errors(mock) -> None:
    with pytest.raises(enneo.DecodeError) as e:
        enneo.Client(base_url=mock.faulty("malformed")).get_customer(1)
    assert e.value.status_code == 200 and b"[oops" in e.value.body
    for fault in ("truncate", "reset"):
        with pytest.raises(enneo.APIConnectionError, match="broke off"):
            enneo.Client(base_url=mock.faulty(fault), max_retries=0).get_customer(1)
        mock.clear()
        assert enneo.Client(base_url=mock.faulty(fault + ";fail-first=1"), max_retries=2).get_customer(3).id == 3
        assert len(mock.requests()) == 2


@pytest.mark.parametrize("bad", ["", "  ", "..", "a\nb", "x" * 10_000])
def test_bad_ids_raise_value_error_before_sending(mock, bad) -> None:
    with pytest.raises(ValueError):
        enneo.Client(base_url=mock.base_url).get_customer(bad)
    assert mock.requests() == []


@pytest.mark.parametrize("bad", [None, 1.5, True, b"1", [1]])
def test_wrong_id_types_raise_type_error(mock, bad) -> None:
    with pytest.raises(enneo.InvalidArgumentTypeError) as e:
        enneo.Client(base_url=mock.base_url).get_customer(bad)
    assert isinstance(e.value, TypeError) and isinstance(e.value, enneo.EnneoError)
    assert mock.requests() == []


def test_bad_settings() -> None:
    with pytest.raises(ValueError):
        enneo.Client(base_url="ftp://nope")
    with pytest.raises(ValueError):
        enneo.Client(timeout=0)
    with pytest.raises(ValueError):
        enneo.Client(max_retries=-1)
    with pytest.raises(TypeError):
        enneo.Client(timeout="60")
    with pytest.raises(ValueError):
        enneo.Client(base_url="http://127.0.0.1:9/api/mind").get_customers([1], concurrency=0)


def test_exceptions_pickle_with_their_attributes(make_mock) -> None:
    m = make_mock(fixtures={})
    with pytest.raises(enneo.NotFoundError) as e:
        enneo.Client(base_url=m.base_url).get_customer(5)
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is enneo.NotFoundError
    assert (again.status_code, again.body, again.request_id, str(again)) == (
        e.value.status_code, e.value.body, e.value.request_id, str(e.value))
    d = pickle.loads(pickle.dumps(enneo.DecodeError("bad", status_code=200, body=b"x")))
    assert (d.status_code, d.body, str(d)) == (200, b"x", "bad")
    t = pickle.loads(pickle.dumps(enneo.APITimeoutError("slow")))
    assert isinstance(t, enneo.APIConnectionError) and str(t) == "slow"


def test_token_never_shown(make_mock) -> None:
    m = make_mock(token="other")
    client = enneo.Client(base_url=m.base_url, token=SECRET)
    assert SECRET not in repr(client) and "***" in repr(client)
    assert SECRET not in str(client)
    with pytest.raises(enneo.AuthenticationError) as e:
        client.get_customer(1)
    assert SECRET not in str(e.value) and SECRET not in repr(e.value)
    with pytest.raises(ValueError) as bad:
        enneo.Client(base_url="http://127.0.0.1:9/api/mind", token="bad\n" + SECRET)
    assert SECRET not in str(bad.value)
