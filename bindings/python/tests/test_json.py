"""The models' JSON decoder (`enneo._native.loads`) gives what `json.loads`
gives, for every document, digits of every number included."""

from __future__ import annotations

import json
import math
import random
import struct
from typing import Any

import pytest

import enneo
from enneo import _native

CASES = [
    b"{}",
    b"[]",
    b' { "a" : [ 1 , 2.5 , -0 , -0.0 , 1e400 , -1E-400 , true , false , null ] } ',
    b'{"big": 123456789012345678901234567890, "neg": -98765432109876543210}',
    b'{"i64max": 9223372036854775807, "i64min": -9223372036854775808, "u64": 18446744073709551615}',
    b'{"f": 5.960464477539063e-08, "g": 3.402823466e+38, "h": 0.1, "k": 1.7976931348623157e308}',
    b'{"esc": "a\\"b\\\\c\\/d\\b\\f\\n\\r\\t", "u": "\\u00fc\\u20ac\\ud83d\\ude00", "raw": "\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80"}',
    b'{"lone": "\\ud800", "lone_low": "\\udc00x"}',
    b'{"dup": 1, "dup": 2}',
    b'{"a\\u0000b": "\\u0000"}',
    b"[" * 300 + b"]" * 300,
    b'{"nan": NaN, "inf": Infinity, "ninf": -Infinity}',
    b"  42  ",
    b'"just a string"',
]

BAD = [b"", b"{", b'{"a":}', b"[1,]", b"01", b"1.", b"-", b'{"a":1}x', b"\xff", b'"\xff"', b'"a\nb"', b"tru", b"1e", b"+1"]


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down, and NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


@pytest.mark.parametrize("doc", CASES)
def test_documents_decode_as_json_loads_does(doc: bytes) -> None:
    assert same(_native.loads(doc), json.loads(doc))


@pytest.mark.parametrize("doc", BAD)
def test_invalid_documents_raise_as_json_loads_does(doc: bytes) -> None:
    with pytest.raises(ValueError) as ours:
        _native.loads(doc)
    with pytest.raises(ValueError) as theirs:
        json.loads(doc)
    assert type(ours.value) is type(theirs.value)


def _random_value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(9 if depth < 6 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, -1, 2**53 + 1, -(2**63), 2**64 - 1, 2**64, 10**30 + 7, rng.randrange(-(10**40), 10**40)])
    if kind == 3:
        # Any finite double, by its bits: repr gives its shortest exact form.
        while True:
            f = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
            if math.isfinite(f):
                return f
    if kind in (4, 5):
        alphabet = "aZ09 _-\"\\/\b\f\n\r\t\x00\x1f\x7fü€😀\u2028"
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
    if kind in (6, 7):
        return {f"k{rng.randrange(30)}": _random_value(rng, depth + 1) for _ in range(rng.randrange(6))}
    return [_random_value(rng, depth + 1) for _ in range(rng.randrange(6))]


def test_two_thousand_random_documents_decode_exactly() -> None:
    rng = random.Random(20261128)
    for n in range(2000):
        value = _random_value(rng, 0)
        doc = json.dumps(value, ensure_ascii=rng.random() < 0.5).encode()
        assert same(_native.loads(doc), json.loads(doc)), (n, doc)


# A body as a response: the blocking client decodes it as it checks it, the
# async client and raw responses take the core's check and decode later. All
# three must take the same bodies, give the same dicts, and refuse the rest
# with the same DecodeError.
RESPONSE_BODIES = [
    b' \n{"id": 1, "x": [1, 2.5, -0.0, 1e300, 12345678901234567890123, null, true], "s": "M\xc3\xbcller \\u00e9 \\ud83d\\ude00"}\t',
    b'{"id": 2, "lone": "\\ud800"}',
    b'{"id": 3, "a": ' + b"[" * 126 + b"1" + b"]" * 126 + b"}",
    b'{"id": 4, "big": 9007199254740993, "dup": 1, "dup": 2}',
]
BAD_RESPONSE_BODIES = [
    b"", b"[1]", b'"x"', b'{"id": 1, "x": NaN}', b'{"id": 1} x', b'{"id": "\xff"}', b'{"id": 1,}',
    b'{"a": ' + b"[" * 127 + b"]" * 127 + b"}", b'{"a": "\\ud800', b'{"a": "\\x"}', b'{"a": 01}',
]


def _fetch_three_ways(mock: Any, body: bytes) -> list:
    import asyncio

    base = mock.faulty("body-hex=" + body.hex())
    results: list = []
    for fetch in (
        lambda: enneo.Client(base_url=base).get_customer(1),
        lambda: asyncio.run(enneo.AsyncClient(base_url=base).get_customer(1)),
        lambda: enneo.Client(base_url=base).with_raw_response.get_customer(1).parse(),
    ):
        try:
            results.append(fetch().to_dict())
        except enneo.DecodeError as e:
            results.append((e.status_code, e.body, str(e)))
    return results


@pytest.mark.parametrize("body", RESPONSE_BODIES)
def test_a_response_decodes_the_same_however_it_is_fetched(mock: Any, body: bytes) -> None:
    results = _fetch_three_ways(mock, body)
    expected = json.loads(body)
    assert all(same(r, expected) for r in results), results


@pytest.mark.parametrize("body", BAD_RESPONSE_BODIES)
def test_a_bad_response_is_refused_the_same_however_it_is_fetched(mock: Any, body: bytes) -> None:
    blocking, in_async, raw = _fetch_three_ways(mock, body)
    assert isinstance(blocking, tuple) and blocking[:2] == (200, body), blocking
    assert blocking == in_async == raw
