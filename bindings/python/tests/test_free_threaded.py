"""Many threads on one client, as a free-threaded CPython (3.14t) runs them:
in parallel, with no GIL. The cp314t wheel is tested on 3.14t in ci.yml;
on other interpreters the stress test runs too (the GIL then takes turns),
and the GIL check is skipped.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import threading
from typing import Any, List

import pytest

import enneo
from enneo.testing import MockServer

FREE_THREADED = sysconfig.get_config_var("Py_GIL_DISABLED") == 1
THREADS, LOOKUPS, RATE = 8, 500, 2000.0


@pytest.mark.skipif(not FREE_THREADED, reason="needs a free-threaded CPython (3.14t): ci.yml runs it")
def test_importing_enneo_keeps_the_gil_off() -> None:
    # A fresh interpreter: a module that needs the GIL turns it on for the
    # whole process, with a RuntimeWarning, and pytest's own imports must
    # not be what is measured.
    code = "import sys, enneo, enneo.testing; print(sys._is_gil_enabled())"
    out = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out


def test_eight_threads_on_one_client_lose_nothing_and_keep_the_limit() -> None:
    with MockServer(rate_limit=RATE) as server:
        client = enneo.Client(base_url=server.base_url)
        results: List[List[Any]] = [[] for _ in range(THREADS)]
        start = threading.Barrier(THREADS)

        def work(t: int) -> None:
            start.wait()
            for i in range(LOOKUPS):
                try:
                    results[t].append(client.get_customer(t * 10_000 + i))
                except enneo.EnneoError as e:
                    results[t].append(e)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        for t, got in enumerate(results):
            assert len(got) == LOOKUPS
            failed = [r for r in got if not isinstance(r, enneo.Customer)]
            assert not failed, failed[:3]
            # Each thread got its own customers back, in its own order.
            assert [str(c.id) for c in got] == [str(t * 10_000 + i) for i in range(LOOKUPS)]
        stats = server.stats()
        # One rate-limit state for all threads: refusals stay rare, and the
        # client counted every one the server sent.
        assert stats["requests"] >= THREADS * LOOKUPS
        assert stats["rate_limited"] <= 0.10 * stats["requests"], stats
        assert client.rate_limit_state.rate_limited == stats["rate_limited"]
        if FREE_THREADED:
            assert not sys._is_gil_enabled()  # type: ignore[attr-defined]
