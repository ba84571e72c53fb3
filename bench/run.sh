#!/usr/bin/env bash
# `make bench`: every client, against one enneo-mock and one nginx serving
# the same JSON, in one run on this machine; writes bench/RESULTS.md.
#
# The floor is `wrk -c1` / `wrk -c64` against each server: a client that
# does no HTTP work of its own cannot be faster. Installs wrk and nginx from
# Debian when missing (root, as on CI machines).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/bench-venv
OUT=target/bench
SEQ=${BENCH_SEQ:-2000}          # sequential lookups per round
CONC=${BENCH_CONC:-20000}       # concurrent lookups per round (Rust, Node)
PY_CONC=${BENCH_PY_CONC:-5000}  # concurrent lookups per round (Python; httpx async is slow)
ROUNDS=${BENCH_ROUNDS:-5}
RSS_N=${BENCH_RSS_N:-100000}
ARROW_N=${BENCH_ARROW_N:-100000}  # lookups per call in the Arrow rounds
ARROW_ROUNDS=${BENCH_ARROW_ROUNDS:-3}
mkdir -p "$OUT"

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || ! command -v valgrind >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light valgrind >/dev/null
fi

echo "building release artefacts..."
tools/release-build.sh "$VENV" -r bench/requirements.txt
# bench_instructions twice: with tracing support compiled in (kept aside), then without.
cargo build -q --release -p enneo --example bench_instructions --features opentelemetry
cp target/release/examples/bench_instructions target/release/examples/bench_instructions_otel
cargo build -q --release -p enneo --example bench_vs_reqwest --example bench_rss --example bench_instructions --features arrow

# nginx serves the seed customer for every customer id, as the mock does.
WWW=$(mktemp -d)
chmod 755 "$WWW"  # nginx workers run as an unprivileged user
python3 - "$WWW" <<'PY'
import json, sys
seed = json.load(open("crates/enneo-mock/src/seed-customer.json"))
open(sys.argv[1] + "/customer.json", "w").write(json.dumps(seed, separators=(",", ":"), ensure_ascii=False))
PY
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$WWW/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WWW/nginx.pid;
error_log $WWW/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WWW;
    location /api/mind/customer/byCustomerId/ { default_type application/json; try_files /customer.json =404; }
  }
}
CONF
nginx -c "$WWW/nginx.conf" &
NGINX=$!
target/release/enneo-mock --port 0 > "$OUT/mock.out" &
MOCK=$!
trap 'kill $NGINX $MOCK 2>/dev/null; rm -rf "$WWW"' EXIT
for _ in $(seq 50); do grep -q '^listening on ' "$OUT/mock.out" && break; sleep 0.1; done
MOCK_URL=$(head -1 "$OUT/mock.out" | awk '{print $3}')
[ -n "$MOCK_URL" ] || { echo "enneo-mock did not start"; exit 1; }
curl -sf "http://127.0.0.1:$NGINX_PORT/api/mind/customer/byCustomerId/1" >/dev/null || { echo "nginx does not serve the customer:"; cat "$WWW/error.log"; exit 1; }

RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
# Runs a command, shows its table, and keeps its RESULT lines tagged with the server.
record() {
  local server=$1; shift
  "$@" | tee /dev/stderr | sed -n "s/^RESULT {/{\"server\":\"$server\",/p" >> "$RESULTS"
}
wrk_floor() {
  local server=$1 url=$2 conns
  for conns in 1 64; do
    local rps
    rps=$(wrk -t1 -c$conns -d3s "$url/customer/byCustomerId/83771" | awk '/Requests\/sec/ {print $2}')
    echo "wrk -c$conns against $server: $rps req/s"
    echo "{\"server\":\"$server\",\"lang\":\"wrk\",\"mode\":\"c$conns\",\"client\":\"wrk -c$conns\",\"us\":$(python3 -c "print(1e6/$rps)")}" >> "$RESULTS"
  done
}

for server in nginx mock; do
  if [ $server = nginx ]; then BASE="http://127.0.0.1:$NGINX_PORT/api/mind"; else BASE="$MOCK_URL/api/mind"; fi
  echo; echo "=== $server: $BASE"
  wrk_floor $server "$BASE"
  record $server target/release/examples/bench_vs_reqwest "$BASE" "$SEQ" "$CONC" 64 "$ROUNDS"
  record $server "$VENV/bin/python" bench/python_bench.py "$BASE" --n "$SEQ" --bulk "$PY_CONC" --concurrency 64 --rounds "$ROUNDS"
  record $server node bench/node_bench.mjs "$BASE" "$SEQ" "$CONC" 64 "$ROUNDS"
done

echo; echo "=== instructions per lookup (callgrind, client process only), against nginx"
record nginx python3 bench/instructions.py "http://127.0.0.1:$NGINX_PORT/api/mind" "$VENV/bin/python" --profiles "$OUT/callgrind"

echo; echo "=== OpenTelemetry: per-lookup cost by mode, against nginx"
BASE="http://127.0.0.1:$NGINX_PORT/api/mind"
record nginx "$VENV/bin/python" bench/tracing_bench.py "$BASE" --n "$SEQ" --rounds "$ROUNDS"
record nginx node bench/node_tracing.mjs "$BASE" "$SEQ" "$ROUNDS"

echo; echo "=== against a server's rate limit (enneo-mock --rate-limit), Rust CLI, Python, Node"
cargo build -q --release -p enneo-cli
record mock python3 bench/rate_limit.py target/release/enneo-mock target/release/enneo "$VENV/bin/python"

echo; echo "=== TLS, HTTP/2 and latency (nginx behind a delaying proxy), Python, Node, Rust CLI"
record nginx-tls python3 bench/network.py "$VENV/bin/python" target/release/enneo

echo; echo "=== Arrow: customers_arrow and customers_frame against get_customers, $ARROW_N lookups, against nginx"
record nginx "$VENV/bin/python" bench/arrow_bench.py "http://127.0.0.1:$NGINX_PORT/api/mind" --n "$ARROW_N" --rounds "$ARROW_ROUNDS"

echo; echo "=== import time"
record local "$VENV/bin/python" bench/import_time.py "$VENV/bin/python"

echo; echo "=== peak RSS, $RSS_N lookups against the mock"
record mock target/release/examples/bench_rss "$MOCK_URL/api/mind" "$RSS_N"
record mock "$VENV/bin/python" bench/rss.py "$MOCK_URL/api/mind" "$RSS_N"
record mock "$VENV/bin/python" bench/rss.py "$MOCK_URL/api/mind" "$RSS_N" arrow
record mock node bench/rss.mjs "$MOCK_URL/api/mind" "$RSS_N"

python3 bench/report.py "$RESULTS" bench/RESULTS.md \
  "make bench (SEQ=$SEQ CONC=$CONC PY_CONC=$PY_CONC ROUNDS=$ROUNDS RSS_N=$RSS_N ARROW_N=$ARROW_N ARROW_ROUNDS=$ARROW_ROUNDS)"
python3 bench/chart.py bench/RESULTS.md bench/chart.svg   # shown by the README and the docs site
echo; cat bench/RESULTS.md
