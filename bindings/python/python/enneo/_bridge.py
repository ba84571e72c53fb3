"""One result queue per event loop, watched with ``loop.add_reader``."""

from __future__ import annotations

import asyncio
import weakref

from ._native import LoopBridge

_bridges: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopBridge]" = weakref.WeakKeyDictionary()


def bridge_for(loop: asyncio.AbstractEventLoop) -> LoopBridge:
    """The bridge of ``loop``, registered with it on first use."""
    bridge = _bridges.get(loop)
    if bridge is None:
        bridge = LoopBridge()
        loop.add_reader(bridge.fd, bridge.drain)
        _bridges[loop] = bridge
    return bridge
