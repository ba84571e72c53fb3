"""Bulk lookups over a real network's costs: TLS (a CA this script makes),
HTTP/2 against HTTP/1.1 pools, and round-trip latency, against nginx.

This kernel has no `netem` qdisc, so the latency is put on the path: a small
TCP proxy holds each chunk for half the round trip in each direction, as a
long link would (the server's own delay fault would model a slow server,
not a long network). The proxy counts the connections it accepts: each is a
TLS handshake, so that is the handshakes per run.

For each round trip (0, 5 and 20 ms) and each server (nginx with `http2`,
and nginx with HTTP/1.1 only), 10 000 lookups, the peers at concurrency 64
and enneo both at 64 and at its default (a window from 16 that grows while
the answers keep their time):
- Python: enneo `get_customers`, httpx (`http2=True`) with `gather`, aiohttp;
- Node: enneo `getCustomers`, undici with an Agent (`allowH2: true`);
- Rust: the enneo CLI (`--ids-from`).
Then the cold start: process start to the first customer over TLS at 20 ms,
imports included (median of 5), enneo against the peer in each language.

Usage: python3 bench/network.py PYTHON CLI_BIN [--n 10000] [--rtts 0,5,20]
Prints a table and `RESULT {json}` lines for bench/report.py.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CONC = 64


# --- the CA and nginx ----------------------------------------------------------


def make_ca(d: str) -> str:
    """A CA and a certificate for 127.0.0.1 it signs; returns the CA's path."""
    def ssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=enneo bench CA", "-keyout", "ca.key", "-out", "ca.pem")
    ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n")
    ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem")
    return os.path.join(d, "ca.pem")


def free_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return int(port)


def start_nginx(d: str) -> Tuple[subprocess.Popen, int, int]:
    seed = json.load(open(os.path.join(REPO, "crates/enneo-mock/src/seed-customer.json")))
    with open(os.path.join(d, "customer.json"), "w") as f:
        f.write(json.dumps(seed, separators=(",", ":"), ensure_ascii=False))
    os.chmod(d, 0o755)
    h2, h1 = free_port(), free_port()
    server = """
  server {{
    listen 127.0.0.1:{port} ssl{h2};
    ssl_certificate {d}/server.pem;
    ssl_certificate_key {d}/server.key;
    root {d};
    location /api/mind/customer/byCustomerId/ {{ default_type application/json; try_files /customer.json =404; }}
  }}"""
    conf = f"""
worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 10000000;
  http2_max_concurrent_streams 256;
  {server.format(port=h2, h2=" http2", d=d)}
  {server.format(port=h1, h2="", d=d)}
}}
"""
    with open(os.path.join(d, "nginx.conf"), "w") as f:
        f.write(conf)
    proc = subprocess.Popen(["nginx", "-c", os.path.join(d, "nginx.conf")])
    time.sleep(0.5)
    return proc, h2, h1


# --- the latency proxy -----------------------------------------------------------


class Proxy:
    """127.0.0.1:port -> upstream, each chunk held `rtt / 2` in each direction."""

    def __init__(self, upstream: int, rtt_ms: float) -> None:
        self.upstream = upstream
        self.delay = rtt_ms / 2000.0
        self.connections = 0
        self.port = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        up_r, up_w = await asyncio.open_connection("127.0.0.1", self.upstream)
        await asyncio.gather(self._pipe(reader, up_w), self._pipe(up_r, writer), return_exceptions=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Chunks keep their order and their spacing: each leaves `delay`
        # after it arrived, not after the one before it left.
        queue: "asyncio.Queue[Tuple[float, bytes]]" = asyncio.Queue()

        async def send() -> None:
            while True:
                due, data = await queue.get()
                if not data:
                    break
                wait = due - self.loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            writer.close()

        sender = asyncio.ensure_future(send())
        try:
            while True:
                data = await reader.read(65536)
                queue.put_nowait((self.loop.time() + self.delay, data))
                if not data:
                    break
        finally:
            await sender

    def count(self) -> int:
        return self.connections


# --- the clients ----------------------------------------------------------------

PY_ENNEO = """
import sys, time, enneo
n = int(sys.argv[2])
client = enneo.Client(base_url=sys.argv[1], ca_cert=sys.argv[3])
t = time.perf_counter()
conc = None if sys.argv[4] == "default" else int(sys.argv[4])
r = client.get_customers(range(1, n + 1), concurrency=conc)
assert all(isinstance(c, enneo.Customer) for c in r), [c for c in r if not isinstance(c, enneo.Customer)][:2]
print(time.perf_counter() - t)
"""

PY_HTTPX = """
import asyncio, ssl, sys, time, httpx
base, n, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
async def main():
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(http2=True, verify=ssl.create_default_context(cafile=ca), limits=limits) as c:
        sem = asyncio.Semaphore(64)
        async def one(i):
            async with sem:
                r = await c.get(f"{base}/customer/byCustomerId/{i}")
                r.raise_for_status(); r.json()
        t = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(1, n + 1)))
        print(time.perf_counter() - t)
asyncio.run(main())
"""

PY_AIOHTTP = """
import asyncio, ssl, sys, time, aiohttp
base, n, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
async def main():
    conn = aiohttp.TCPConnector(limit=64, ssl=ssl.create_default_context(cafile=ca))
    async with aiohttp.ClientSession(connector=conn) as s:
        async def one(i):
            async with s.get(f"{base}/customer/byCustomerId/{i}") as r:
                r.raise_for_status(); await r.json()
        t = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(1, n + 1)))
        print(time.perf_counter() - t)
asyncio.run(main())
"""

NODE_ENNEO = """
const { Client } = require(process.argv[1])
const [base, n, ca] = [process.argv[2], Number(process.argv[3]), process.argv[4]]
const client = new Client({ baseUrl: base, caCert: ca })
const ids = Array.from({ length: n }, (_, i) => i + 1)
const concurrency = process.argv[5] === 'default' ? undefined : Number(process.argv[5])
const t = performance.now()
client.getCustomers(ids, { concurrency }).then((r) => {
  if (r.some((x) => !x.ok)) throw new Error(JSON.stringify(r.find((x) => !x.ok)))
  console.log((performance.now() - t) / 1000)
})
"""

NODE_UNDICI = """
const { Agent, request } = require(process.argv[1])
const { readFileSync } = require('node:fs')
const [base, n, ca] = [process.argv[2], Number(process.argv[3]), process.argv[4]]
const agent = new Agent({ allowH2: true, connections: 64, connect: { ca: readFileSync(ca) } })
let next = 1
async function worker() {
  while (next <= n) {
    const i = next++
    const r = await request(`${base}/customer/byCustomerId/${i}`, { dispatcher: agent })
    if (r.statusCode !== 200) throw new Error(String(r.statusCode))
    await r.body.json()
  }
}
const t = performance.now()
Promise.all(Array.from({ length: 64 }, worker)).then(() => { console.log((performance.now() - t) / 1000); agent.close() })
"""

PY_COLD = {
    "enneo": "import enneo,sys; enneo.Client(base_url=sys.argv[1], ca_cert=sys.argv[2]).get_customer(1)",
    "httpx": "import httpx,ssl,sys; httpx.get(sys.argv[1]+'/customer/byCustomerId/1', verify=ssl.create_default_context(cafile=sys.argv[2])).json()",
}
NODE_COLD = {
    "enneo": "const {Client}=require(process.argv[1]); new Client({baseUrl:process.argv[2], caCert:process.argv[3]}).getCustomer(1)",
    "undici": "const {Agent,request}=require(process.argv[1]); const a=new Agent({allowH2:true,connect:{ca:require('fs').readFileSync(process.argv[3])}}); request(process.argv[2]+'/customer/byCustomerId/1',{dispatcher:a}).then(r=>r.body.json()).then(()=>a.close())",
}


def node_module(name: str) -> str:
    if name == "enneo":
        return os.path.join(REPO, "bindings/node/lib/index.js")
    return os.path.join(REPO, "bindings/node/node_modules", name)


def timed(cmd: List[str]) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENNEO_")}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} failed: {out.stderr[-500:]}")
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("python")
    ap.add_argument("cli")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--rtts", default="0,5,20")
    a = ap.parse_args()
    d = tempfile.mkdtemp()
    ca = make_ca(d)
    nginx, h2_port, h1_port = start_nginx(d)
    ids_file = os.path.join(d, "ids.txt")
    with open(ids_file, "w") as f:
        f.write("\n".join(str(i) for i in range(1, a.n + 1)))
    try:
        print(f"{'rtt':>4} {'server':6} {'client':28} {'lookups/s':>10} {'handshakes':>10}")
        for rtt in (float(x) for x in a.rtts.split(",")):
            for proto, port in (("h2", h2_port), ("h1", h1_port)):
                # enneo twice: at the peers' 64, and at its default window
                # (which starts at 16 and grows while the answers keep
                # their time); the peers at 64, as their users write them.
                clients: Dict[str, List[str]] = {
                    "python: enneo get_customers (64)": [a.python, "-c", PY_ENNEO],
                    "python: enneo get_customers (default)": [a.python, "-c", PY_ENNEO],
                    "python: httpx http2 + gather": [a.python, "-c", PY_HTTPX],
                    "python: aiohttp + gather": [a.python, "-c", PY_AIOHTTP],
                    "node: enneo getCustomers (64)": ["node", "-e", NODE_ENNEO, node_module("enneo")],
                    "node: enneo getCustomers (default)": ["node", "-e", NODE_ENNEO, node_module("enneo")],
                    "node: undici allowH2 Agent": ["node", "-e", NODE_UNDICI, node_module("undici")],
                }
                for name, cmd in clients.items():
                    proxy = Proxy(port, rtt)
                    base = f"https://127.0.0.1:{proxy.port}/api/mind"
                    conc = ["default" if name.endswith("(default)") else str(CONC)] if ": enneo" in name else []
                    secs = timed(cmd + [base, str(a.n), ca] + conc)
                    emit(rtt, proto, name, a.n / secs, proxy.count())
                for conc_args, label in (((["--concurrency", str(CONC)]), "(64)"), ([], "(default)")):
                    proxy = Proxy(port, rtt)
                    base = f"https://127.0.0.1:{proxy.port}/api/mind"
                    started = time.perf_counter()
                    subprocess.run([a.cli, "customer", "get", "--ids-from", ids_file, *conc_args,
                                    "--base-url", base, "--ca-cert", ca], capture_output=True, check=True)
                    emit(rtt, proto, f"rust: enneo CLI --ids-from {label}", a.n / (time.perf_counter() - started), proxy.count())
        cold_start(a.python, ca, h2_port)
    finally:
        nginx.terminate()
        shutil.rmtree(d, ignore_errors=True)


def emit(rtt: float, proto: str, name: str, rate: float, handshakes: int) -> None:
    print(f"{rtt:>4.0f} {proto:6} {name:28} {rate:>10.0f} {handshakes:>10}")
    lang, client = name.split(": ", 1)
    print("RESULT " + json.dumps({"lang": lang, "mode": "network", "client": client, "rtt_ms": rtt,
                                  "proto": proto, "per_s": round(rate, 1), "handshakes": handshakes}))
    sys.stdout.flush()


def cold_start(python: str, ca: str, port: int) -> None:
    proxy = Proxy(port, 20)
    base = f"https://127.0.0.1:{proxy.port}/api/mind"
    runs: Dict[str, List[float]] = {}
    for _ in range(5):
        for name, code in PY_COLD.items():
            t = time.perf_counter()
            subprocess.run([python, "-c", code, base, ca], check=True, capture_output=True)
            runs.setdefault(f"python: {name}", []).append(time.perf_counter() - t)
        for name, code in NODE_COLD.items():
            t = time.perf_counter()
            subprocess.run(["node", "-e", code, node_module(name), base, ca], check=True, capture_output=True)
            runs.setdefault(f"node: {name}", []).append(time.perf_counter() - t)
    for name, times in runs.items():
        ms = statistics.median(times) * 1000
        print(f"cold start at 20 ms RTT, {name}: {ms:.0f} ms")
        lang, client = name.split(": ", 1)
        print("RESULT " + json.dumps({"lang": lang, "mode": "cold", "client": client, "ms": round(ms, 1)}))


if __name__ == "__main__":
    main()
