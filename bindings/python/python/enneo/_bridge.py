"""One result queue per event loop, and how that loop is woken.

The fast path is a socket the loop watches with ``loop.add_reader``: the Rust
workers wake it without taking the GIL. Loops that cannot watch a socket
(Windows' Proactor loop, or a platform without Unix sockets) are woken with
``loop.call_soon_threadsafe`` instead.
"""

from __future__ import annotations

import asyncio
import weakref

from typing import Callable

from ._native import LoopBridge

_bridges: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopBridge]" = weakref.WeakKeyDictionary()


def bridge_for(loop: asyncio.AbstractEventLoop) -> LoopBridge:
    """The bridge of ``loop``, registered with it on first use."""
    bridge = _bridges.get(loop)
    if bridge is None:
        bridge = LoopBridge()
        fd = bridge.fd
        try:
            if fd is None:
                raise NotImplementedError("no socket pair on this platform")
            loop.add_reader(fd, bridge.drain)
        except NotImplementedError:
            bridge.wake_with(_waker(weakref.ref(loop), bridge))
        _bridges[loop] = bridge
    return bridge


def _waker(loop_ref: "weakref.ref[asyncio.AbstractEventLoop]", bridge: LoopBridge) -> Callable[[], None]:
    # A weak reference: the bridge is the value of a WeakKeyDictionary keyed
    # by the loop, and must not keep its own key alive.
    def wake() -> None:
        loop = loop_ref()
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(bridge.drain)
        except RuntimeError:
            pass  # the loop closed while the call ran: nobody awaits it now

    return wake
