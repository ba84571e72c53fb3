#!/usr/bin/env bash
# Requests/s of enneo-mock next to nginx serving the same JSON file, under wrk.
# Installs wrk and nginx from Debian when missing (root, as on CI machines).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
fi
cargo build -q --release -p enneo-mock
DIR=$(mktemp -d)
mkdir -p "$DIR/www/api/mind/customer/byCustomerId"
python3 - "$DIR" <<'PY'
import json, sys
seed = json.load(open("crates/enneo-mock/src/seed-customer.json"))
open(sys.argv[1] + "/www/api/mind/customer/byCustomerId/83771", "w").write(json.dumps(seed, separators=(",", ":"), ensure_ascii=False))
PY
cat > "$DIR/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $DIR/nginx.pid;
error_log $DIR/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:18088; root $DIR/www; }
}
CONF
nginx -c "$DIR/nginx.conf" &
NGINX=$!
target/release/enneo-mock --port 18089 > /dev/null &
MOCK=$!
trap 'kill $NGINX $MOCK 2>/dev/null; rm -rf "$DIR"' EXIT
sleep 0.5
for name in nginx enneo-mock; do
  port=18088; [ $name = enneo-mock ] && port=18089
  printf '%-11s ' "$name"
  wrk -t1 -c32 -d5s "http://127.0.0.1:$port/api/mind/customer/byCustomerId/83771" | awk '/Requests\/sec/ {print $2 " req/s"}'
done
