"""GIL release, Ctrl-C, event loops, fork and panics."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import enneo


def test_gil_is_released_during_io(mock) -> None:
    client = enneo.Client(base_url=mock.faulty("delay=600"))
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.005)

    t = threading.Thread(target=count)
    t.start()
    client.get_customer(1)
    stop.set()
    t.join()
    # Holding the GIL for 600 ms would allow roughly one tick.
    assert ticks > 40, ticks


def test_ctrl_c_interrupts_a_blocking_lookup(mock) -> None:
    code = (
        "import enneo, time, sys\n"
        f"c = enneo.Client(base_url={mock.faulty('delay=30000')!r}, max_retries=0)\n"
        "print('ready', flush=True)\n"
        "t = time.monotonic()\n"
        "try:\n    c.get_customer(1)\nexcept KeyboardInterrupt:\n    print('interrupted', round(time.monotonic() - t, 2), flush=True)\n"
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    sent = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=10)
    assert out.startswith("interrupted"), out
    assert time.monotonic() - sent < 1.5


def test_sync_client_inside_a_running_loop(mock) -> None:
    client = enneo.Client(base_url=mock.base_url)

    async def notebook_cell() -> object:
        return client.get_customer(5)  # as in Jupyter, where a loop is running

    assert asyncio.run(notebook_cell()).id == 5


def test_async_client_survives_several_event_loops(mock) -> None:
    client = enneo.AsyncClient(base_url=mock.base_url)
    assert asyncio.run(client.get_customer(1)).id == 1
    assert asyncio.run(client.get_customer(2)).id == 2
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(client.get_customer(3)).id == 3
    finally:
        loop.close()


def test_async_errors_and_cancellation(mock) -> None:
    slow = enneo.AsyncClient(base_url=mock.faulty("delay=5000"), max_retries=0)

    async def main() -> None:
        with pytest.raises(enneo.APITimeoutError):
            await slow.get_customer(1, timeout=0.2)
        task = asyncio.ensure_future(slow.get_customer(2))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(ValueError):
            await slow.get_customer("")

    started = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - started < 2


def _lookup_in_child(base_url: str) -> int:
    return int(enneo.Client(base_url=base_url).get_customer(11).id)


def test_fork_child_can_use_fresh_and_parent_clients(mock) -> None:
    parent = enneo.Client(base_url=mock.base_url)
    assert parent.get_customer(1).id == 1  # the parent's pool and runtime are live
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            ok = parent.get_customer(2).id == 2 and enneo.Client(base_url=mock.base_url).get_customer(3).id == 3
            os.write(w, b"ok" if ok else b"bad")
        except BaseException as e:  # report anything to the parent
            os.write(w, repr(e).encode()[:200])
        finally:
            os._exit(0)
    os.close(w)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("forked child deadlocked")
    assert os.read(r, 200) == b"ok"
    assert parent.get_customer(4).id == 4


def test_multiprocessing_pool_with_fork(mock) -> None:
    enneo.Client(base_url=mock.base_url).get_customer(1)  # warm the parent runtime first
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        assert pool.map(_lookup_in_child, [mock.base_url] * 4, chunksize=1) == [11] * 4


_PANIC_SCRIPT = """
import asyncio, sys, enneo
client = enneo.Client(base_url=sys.argv[1])
try:
    client.get_customer(666)
except enneo.EnneoError as e:
    assert e.code == "internal_error" and "deliberate panic" in str(e), e
    print("sync ok")
assert client.get_customer(1).id == 1, "the client still works after a panic"
async def main():
    try:
        await enneo.AsyncClient(base_url=sys.argv[1]).get_customer(666)
    except enneo.EnneoError as e:
        assert "deliberate panic" in str(e), e
        print("async ok")
asyncio.run(main())
"""


def test_rust_panic_becomes_an_exception(mock) -> None:
    # The core panics on the id ENNEO_TEST_PANIC_ID names: a test hook with no
    # public entry point, so it runs in a child process that sets it.
    env = dict(os.environ, ENNEO_TEST_PANIC_ID="666")
    out = subprocess.run([sys.executable, "-c", _PANIC_SCRIPT, mock.base_url], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["sync", "ok", "async", "ok"], out.stdout
    assert "_debug_panic" not in dir(enneo.Client(base_url=mock.base_url)._native)
