"""Hands results from the Rust runtime to asyncio futures."""

from __future__ import annotations

import asyncio
from typing import Any


def resolve(future: "asyncio.Future[Any]", ok: bool, value: Any) -> None:
    """Runs on the event loop thread; a cancelled future is left alone."""
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
