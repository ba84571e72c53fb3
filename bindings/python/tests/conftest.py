"""Starts enneo-mock binaries on loopback for the tests.

The suite runs against the installed `enneo` package; ENNEO_MOCK_BIN names
the mock binary (the Makefile sets it).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, List, Optional

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
MOCK_BIN = os.environ.get("ENNEO_MOCK_BIN", str(REPO / "target" / "debug" / "enneo-mock"))
SEED: Dict[str, Any] = json.loads((REPO / "crates/enneo-mock/src/seed-customer.json").read_text())


class Mock:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([MOCK_BIN, "--port", "0", *args], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), line
        self.url = line.removeprefix("listening on ")
        self.base_url = self.url + "/api/mind"

    def faulty(self, spec: str) -> str:
        """A base URL whose every request gets the fault `spec`."""
        return f"{self.url}/__fault/{urllib.parse.quote(spec, safe='')}/api/mind"

    def requests(self) -> List[Dict[str, Any]]:
        with urllib.request.urlopen(self.url + "/__mock/requests") as r:
            return json.loads(r.read())  # type: ignore[no-any-return]

    def clear(self) -> None:
        urllib.request.urlopen(urllib.request.Request(self.url + "/__mock/requests", method="DELETE")).read()

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def mock() -> Iterator[Mock]:
    m = Mock()
    yield m
    m.stop()


@pytest.fixture
def make_mock(tmp_path: pathlib.Path) -> Iterator[Any]:
    started: List[Mock] = []

    def make(token: Optional[str] = None, fixtures: Optional[Dict[str, Any]] = None) -> Mock:
        args: List[str] = []
        if token is not None:
            args += ["--token", token]
        if fixtures is not None:
            d = tmp_path / f"fixtures{len(started)}"
            d.mkdir()
            for name, body in fixtures.items():
                (d / f"{name}.json").write_text(body if isinstance(body, str) else json.dumps(body))
            args += ["--fixtures", str(d)]
        m = Mock(*args)
        started.append(m)
        return m

    yield make
    for m in started:
        m.stop()


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENNEO_TOKEN", raising=False)
    monkeypatch.delenv("ENNEO_BASE_URL", raising=False)
