"""The conversions behind the generated models' typed properties: what a
date-time, date or uuid string becomes, and that text a server sends that is
not one gives None rather than raising (to_dict() keeps it as sent)."""

from __future__ import annotations

import datetime
import uuid

import pytest

from enneo._base import _date, _datetime, _list_of, _map_of, _uuid

UTC = datetime.timezone.utc


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-01-02T03:04:05Z", datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2024-01-02t03:04:05z", datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2024-01-02T03:04:05.123456789+02:00", datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
        ("2024-01-02T03:04:05.5-0130", datetime.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=datetime.timezone(-datetime.timedelta(hours=1, minutes=30)))),
        ("2024-01-02 03:04:05", datetime.datetime(2024, 1, 2, 3, 4, 5)),
        ("2024-02-30T00:00:00Z", None),
        ("yesterday", None),
        (1704164645, None),
        (None, None),
    ],
)
def test_date_times_keep_their_offset_and_bad_text_is_none(text: object, expected: object) -> None:
    assert _datetime(text) == expected


def test_dates_uuids_and_containers() -> None:
    assert _date("2024-01-02") == datetime.date(2024, 1, 2)
    assert _date("2024-1-2") is None and _date(None) is None
    assert _uuid("123E4567-E89B-12D3-A456-426614174000") == uuid.UUID("123e4567-e89b-12d3-a456-426614174000")
    assert _uuid("not-a-uuid") is None
    assert _list_of(_date)(["2024-01-02", "x"]) == [datetime.date(2024, 1, 2), None]
    assert _map_of(_uuid)({"a": "x"}) == {"a": None}
    assert _list_of(_date)("not a list") is None
