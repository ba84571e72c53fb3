"""Client settings come from one table in the core (`enneo::SETTINGS`): the
constructor's keywords, their checks and messages, and the explicit proxy
that was added as one row of it."""

from __future__ import annotations

import inspect
from typing import Any
import pickle
import re

import pytest

import enneo

from conftest import Mock

# A host no resolver knows: a lookup reaches the mock only through the proxy.
UNRESOLVABLE = "http://enneo.invalid/api/mind"


def test_an_explicit_proxy_carries_every_request(mock: Mock) -> None:
    via = mock.url.replace("http://", "http://proxyuser:proxy-secret@")
    client = enneo.Client(base_url=UNRESOLVABLE, token="t", proxy=via, max_retries=0)
    assert client.get_customer(83771).id == 83771
    logged = mock.requests()
    assert logged[0]["headers"]["host"] == "enneo.invalid"
    assert logged[0]["path"] == "/api/mind/customer/byCustomerId/83771"
    assert "proxy-secret" not in repr(client)
    # Derived and unpickled clients keep it; bulk calls use it too.
    client.with_options(timeout=5).get_customer(2)
    pickle.loads(pickle.dumps(client)).get_customer(3)
    assert all(isinstance(r, enneo.Customer) for r in client.get_customers([4, 5]))
    assert [r["headers"]["host"] for r in mock.requests()] == ["enneo.invalid"] * 5


def test_without_the_proxy_the_host_is_unreachable() -> None:
    client = enneo.Client(base_url=UNRESOLVABLE, token="t", max_retries=0, connect_timeout=2)
    with pytest.raises(enneo.APIConnectionError):
        client.get_customer(1)


def test_a_bad_proxy_is_refused_without_its_credentials(mock: Mock) -> None:
    with pytest.raises(enneo.InvalidArgumentError) as e:
        enneo.Client(base_url=mock.base_url, proxy="ftp://u:proxy-secret@host:21")
    assert "must start with http://" in str(e.value)
    assert "proxy-secret" not in str(e.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"timeout": "5"}, "timeout must be a number, not str"),
        ({"connect_timeout": True}, "connect_timeout must be a number, not bool"),
        ({"max_retries": 1.5}, "max_retries must be an int, not float"),
        ({"token": 3}, "token must be a str, not int"),
        ({"proxy": b"http://x"}, "proxy must be a str, not bytes"),
        ({"ca_cert": 3}, "ca_cert must be PEM text or a path, or a list of them, not int"),
        ({"default_headers": ["X-A: 1"]}, "default_headers must be a mapping of header names to values, not list"),
        ({"default_headers": {"X-A": 1}}, "default_headers must map header names to str, got \"X-A\": int"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_type_error_worded_by_the_core(mock: Mock, kwargs: dict, message: str) -> None:
    with pytest.raises(enneo.InvalidArgumentTypeError, match=f"^{re.escape(message)}$"):
        enneo.Client(base_url=mock.base_url, **kwargs)
    with pytest.raises(TypeError):
        enneo.Client(base_url=mock.base_url).with_options(**kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"timeout": 0}, "timeout must be a positive, finite number of seconds, got 0"),
        ({"max_retries": -1}, "max_retries must be 0 or more, got -1"),
        ({"max_requests_per_second": 0.0}, "max_requests_per_second must be a positive number, got 0"),
        ({"default_headers": {"User-Agent": "x"}}, "header \"User-Agent\" is set by the client and cannot be overridden"),
    ],
)
def test_a_bad_value_is_a_value_error_worded_by_the_core(mock: Mock, kwargs: dict, message: str) -> None:
    with pytest.raises(enneo.InvalidArgumentError, match=f"^{re.escape(message)}$") as e:
        enneo.Client(base_url=mock.base_url, **kwargs)
    assert isinstance(e.value, ValueError) and not isinstance(e.value, TypeError)


def test_every_setting_is_a_keyword_of_the_constructor_and_with_options() -> None:
    init = inspect.signature(enneo.Client.__init__).parameters
    derive = inspect.signature(enneo.Client.with_options).parameters
    for name in ["token", "base_url", "timeout", "connect_timeout", "max_retries", "max_requests_per_second", "ca_cert", "default_headers", "proxy"]:
        assert init[name].default is None, name
        assert derive[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    assert init["proxy"].kind is inspect.Parameter.KEYWORD_ONLY
    assert init["token"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert inspect.signature(enneo.AsyncClient.__init__).parameters.keys() == init.keys()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"timeout": "5"}, enneo.InvalidArgumentTypeError, "timeout must be a number, not str"),
        ({"timeout": 0}, enneo.InvalidArgumentError, "timeout must be a positive, finite number of seconds, got 0"),
        ({"max_retries": -1}, enneo.InvalidArgumentError, "max_retries must be 0 or more, got -1"),
        ({"extra_headers": ["X-A: 1"]}, enneo.InvalidArgumentTypeError, "extra_headers must be a mapping of header names to values, not list"),
        ({"extra_headers": {"Authorization": "x"}}, enneo.InvalidArgumentError, "header \"Authorization\" is set by the client and cannot be overridden"),
    ],
)
def test_per_call_options_are_checked_by_the_core_in_every_call_form(mock: Mock, kwargs: dict, error: type, message: str) -> None:
    client = enneo.Client(base_url=mock.base_url)
    exact = f"^{re.escape(message)}$"
    with pytest.raises(error, match=exact):
        client.get_customer(1, **kwargs)
    with pytest.raises(error, match=exact):
        client.get_customers([1], **kwargs)
    with pytest.raises(error, match=exact):
        list(client.iter_customers([1], **kwargs))
    assert mock.requests() == []


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda c: c.get_customers([1, True]), enneo.InvalidArgumentTypeError, "id must be an int or a str, not bool"),
        (lambda c: c.get_customers([1.5]), enneo.InvalidArgumentTypeError, "id must be an int or a str, not float"),
        (lambda c: c.get_customers([1], concurrency="4"), enneo.InvalidArgumentTypeError, "concurrency must be an int, not str"),
        (lambda c: c.get_customers([1], concurrency=0), enneo.InvalidArgumentError, "concurrency must be at least 1, got 0"),
        (lambda c: list(c.iter_customers([1, None])), enneo.InvalidArgumentTypeError, "id must be an int or a str, not None"),
        (lambda c: list(c.iter_customers([1], concurrency=2.5)), enneo.InvalidArgumentTypeError, "concurrency must be an int, not float"),
    ],
)
def test_bulk_ids_and_concurrency_are_checked_by_the_core(mock: Mock, call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call(enneo.Client(base_url=mock.base_url))
    assert mock.requests() == []


def test_bulk_ids_of_every_width_reach_the_server_as_given(mock: Mock) -> None:
    client = enneo.Client(base_url=mock.base_url)
    big = 2**70
    results = client.get_customers([7, "008", big])
    # (The mock answers an id of more than 18 digits as a string.)
    assert [str(r.id) for r in results] == ["7", "008", str(big)]  # type: ignore[union-attr]
    # Sent concurrently: in any order.
    assert sorted(r["path"].rsplit("/", 1)[1] for r in mock.requests()) == sorted(["7", "008", str(big)])
