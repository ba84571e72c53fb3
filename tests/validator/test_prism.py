"""A third-party request validator accepts every request the clients make.

Stoplight Prism (pinned in tools/) runs as a validating proxy built from
openapi.yaml, in front of enneo-mock. With `--errors` it answers an invalid
request with 422 instead of forwarding it, and it logs every response that
breaks the spec as a `Violation`. The Rust client (its `fetch` example), the
CLI, the installed Python package and the installed Node package each look
up the same ids through it, by customer, contract and ticket id.

Run by `make test-validator`, which passes the binaries and the Node project
in the environment; the Python package is the one installed in the venv
running this file.
"""

from __future__ import annotations

import json
import os
import pathlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import Iterator, List

import pytest

import enneo

REPO = pathlib.Path(__file__).resolve().parents[2]
PRISM = REPO / "tools" / "node_modules" / ".bin" / "prism"
MOCK_BIN = os.environ["ENNEO_MOCK_BIN"]
CLI_BIN = os.environ["ENNEO_CLI_BIN"]
RUST_FETCH_BIN = os.environ["ENNEO_RUST_FETCH_BIN"]
NODE_PROJECT = os.environ["ENNEO_NODE_PROJECT"]

# Ids as users pass them: plain and zero-padded numbers, and text that needs
# percent-encoding in a path segment, up to the longest customer id (50).
IDS: List[str] = ["83771", "0042", "A-1/2", "ü", "50%", "a b", "[x]|\\", "x" * 50]
# The longest id the client sends, which only contract and ticket ids reach;
# the mock answers it with the example customer (id 83771).
LONG = "y" * 255
LOOKUPS = {"customer": "byCustomerId", "contract": "byContractId", "ticket": "byTicketId"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Prism:
    def __init__(self, spec: pathlib.Path, upstream: str) -> None:
        self.port = _free_port()
        self.log_path = REPO / "target" / f"prism-{self.port}.log"
        self.log_path.parent.mkdir(exist_ok=True)
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [str(PRISM), "proxy", str(spec), upstream, "--errors", "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.base_url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.base_url}/customer/byCustomerId/1", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers, even if with an error status
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"prism did not start:\n{self.log_path.read_text()}")
                time.sleep(0.2)
        self.probes = self.log().count("Request received")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self._log.close()
        self.log_path.unlink()


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    proc = subprocess.Popen([MOCK_BIN, "--port", "0"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    yield proc.stdout.readline().split()[-1] + "/api/mind"
    proc.kill()
    proc.wait()


@pytest.fixture()
def prism(mock_url: str) -> Iterator[Prism]:
    p = Prism(REPO / "openapi.yaml", mock_url)
    yield p
    p.close()


def _assert_clean(prism: Prism, expected_requests: int) -> None:
    log = prism.log()
    assert "Violation" not in log, log
    assert log.count("Request received") - prism.probes == expected_requests, log


def test_the_validator_rejects_a_request_the_spec_forbids(prism: Prism) -> None:
    # The check below would be empty if Prism accepted anything: a control
    # character breaks PathId's pattern, and Prism must answer 422.
    request = urllib.request.Request(f"{prism.base_url}/customer/byCustomerId/a%01b", headers={"Authorization": "Bearer t"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request)
    assert e.value.code == 422
    assert "pattern" in e.value.read().decode()


def test_python_requests_validate(prism: Prism) -> None:
    client = enneo.Client(base_url=prism.base_url, token="t")
    calls = {
        "customer": client.get_customer,
        "contract": client.get_customer_by_contract_id,
        "ticket": client.get_customer_by_ticket_id,
    }
    for get in calls.values():
        for id_ in [*IDS, 83771]:
            assert enneo.same_id(get(id_).id, id_)
    assert client.get_customer_by_contract_id(LONG).id == client.get_customer_by_ticket_id(LONG).id == 83771
    results = client.get_customers(IDS, concurrency=4)
    assert all(isinstance(r, enneo.Customer) for r in results), results
    _assert_clean(prism, 3 * (len(IDS) + 1) + 2 + len(IDS))


def test_python_async_requests_validate(prism: Prism) -> None:
    import asyncio

    async def run() -> None:
        client = enneo.AsyncClient(base_url=prism.base_url, token="t")
        got = await asyncio.gather(*(client.get_customer(i) for i in IDS))
        assert all(enneo.same_id(c.id, i) for c, i in zip(got, IDS))

    asyncio.run(run())
    _assert_clean(prism, len(IDS))


def test_node_requests_validate(prism: Prism) -> None:
    script = """
      const { Client, sameId } = require('enneo')
      const ids = JSON.parse(process.env.IDS)
      const client = new Client({ baseUrl: process.env.BASE, token: 't' })
      ;(async () => {
        for (const get of ['getCustomer', 'getCustomerByContractId', 'getCustomerByTicketId']) {
          for (const id of [...ids, 83771, 83771n]) {
            const c = await client[get](id)
            if (!sameId(c.id, String(id))) throw new Error(`${get}(${id}) gave ${c.id}`)
          }
        }
        await client.getCustomerByContractId(process.env.LONG)
        await client.getCustomerByTicketId(process.env.LONG)
        const bulk = await client.getCustomers(ids, { concurrency: 4 })
        if (!bulk.every((r) => r.ok)) throw new Error(JSON.stringify(bulk))
        console.log('ok')
      })().catch((e) => { console.error(e); process.exit(1) })
    """
    env = {**os.environ, "IDS": json.dumps(IDS), "LONG": LONG, "BASE": prism.base_url}
    out = subprocess.run(["node", "-e", script], cwd=NODE_PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
    _assert_clean(prism, 3 * (len(IDS) + 2) + 2 + len(IDS))


def test_rust_client_requests_validate(prism: Prism) -> None:
    env = {**os.environ, "ENNEO_BASE_URL": prism.base_url, "ENNEO_TOKEN": "t"}
    for kind in LOOKUPS:
        ids = IDS if kind == "customer" else [*IDS, LONG]
        out = subprocess.run([RUST_FETCH_BIN, kind, *ids], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        assert [line.split("\t")[:2] for line in out.stdout.splitlines()] == [[i, "ok"] for i in ids]
    _assert_clean(prism, 3 * len(IDS) + 2)


def test_cli_requests_validate(prism: Prism) -> None:
    env = {**os.environ, "ENNEO_BASE_URL": prism.base_url, "ENNEO_TOKEN": "t"}
    for kind in LOOKUPS:
        for id_ in IDS if kind == "customer" else [*IDS, LONG]:
            out = subprocess.run([CLI_BIN, "customer", "get", id_, "--by", kind, "--json"], env=env, capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, out.stderr
            assert enneo.same_id(json.loads(out.stdout)["id"], 83771 if id_ == LONG else id_)
    _assert_clean(prism, 3 * len(IDS) + 2)
