#!/usr/bin/env bash
# Checks the operator's examples in docs/examples/ on this machine (docs/operations.md, "What was tested"):
# the systemd unit with `systemd-analyze verify`, and the nginx configuration with `nginx -t` and as a real
# nginx on loopback in front of the production bundle: TLS, the headers the portal needs, a waiting room
# of 30 patients behind one address that no limit trips, a flood that is limited, a body too large.
# Needs nginx, openssl, curl and systemd-analyze (Debian: apt-get install nginx-light openssl curl systemd);
# not part of `npm test`. Run after `npm ci` (the bundle in dist/): `bash scripts/check-ops-examples.sh`.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
root=$PWD
failures=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failures=$((failures + 1)); }
check() { # description, command...
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
for tool in nginx openssl curl systemd-analyze; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -f dist/server.js ] || { echo "dist/server.js missing: npm ci or npm run build first" >&2; exit 2; }

tmp=$(mktemp -d)
portal_pid=
cleanup() {
  [ -f "$tmp/nginx.pid" ] && nginx -p "$tmp" -c "$tmp/nginx.conf" -s stop 2>/dev/null
  [ -n "$portal_pid" ] && kill -TERM "$portal_pid" 2>/dev/null && wait "$portal_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# 1. The systemd unit: no warnings from systemd's own parser.
verify=$(systemd-analyze verify docs/examples/mtd-portal.service 2>&1)
check "systemd-analyze verify docs/examples/mtd-portal.service${verify:+: $verify}" test -z "$verify"

# 2. nginx with the example's server blocks, moved to free loopback ports and a self-signed certificate.
port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
http_port=$(port); https_port=$(port); portal_port=$(port)
host=dossier.praktijk.example
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$host" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
sed -e "s#listen 80;#listen 127.0.0.1:$http_port;#" -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
  -e '/listen \[::\]/d' -e "s#/etc/letsencrypt/live/$host/fullchain.pem#$tmp/cert.pem#" \
  -e "s#/etc/letsencrypt/live/$host/privkey.pem#$tmp/key.pem#" -e "s#127.0.0.1:3000#127.0.0.1:$portal_port#" \
  docs/examples/nginx-portal.conf >"$tmp/site.conf"
cat >"$tmp/nginx.conf" <<EOF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
  access_log $tmp/access.log;
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  include $tmp/site.conf;
}
EOF
check "nginx -t accepts docs/examples/nginx-portal.conf" nginx -t -q -p "$tmp" -c "$tmp/nginx.conf"
nginx -p "$tmp" -c "$tmp/nginx.conf" || { not_ok "nginx starts"; exit 1; }

# 3. The portal as in production, behind it.
: >"$tmp/portal.log"
env -i PATH="$PATH" NODE_ENV=production HOST=127.0.0.1 PORT="$portal_port" PUBLIC_URL="https://$host:$https_port" TRUST_PROXY=true \
  SECRET_KEY="$(openssl rand -hex 32)" SMTP_URL=smtp://127.0.0.1:9 SMS_WEBHOOK_URL=http://127.0.0.1:9/sms PRACTICE_CONTACT='030 123 45 67' \
  DATABASE_PATH="$tmp/data/portal.db" node "$root/dist/server.js" >"$tmp/portal.log" 2>&1 &
portal_pid=$!
for _ in $(seq 100); do grep -q 'draait op' "$tmp/portal.log" && break; sleep 0.1; done
base="https://$host:$https_port"
c() { curl -sk --resolve "$host:$https_port:127.0.0.1" --resolve "$host:$http_port:127.0.0.1" "$@"; }

page=$(c -D "$tmp/headers" -c "$tmp/jar" "$base/inloggen")
check "a page through nginx over TLS" grep -q '^HTTP/2 200' "$tmp/headers"
check "HSTS (the portal saw https: X-Forwarded-Proto)" grep -qi '^strict-transport-security: max-age=63072000' "$tmp/headers"
check "the CSRF cookie is __Host- and Secure" grep -qi '^set-cookie: __Host-.*; Secure' "$tmp/headers"
token=$(printf '%s' "$page" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
status=$(c -o /dev/null -w '%{http_code} %{redirect_url}' -b "$tmp/jar" -c "$tmp/jar" --data-urlencode "_csrf=$token" --data-urlencode username=jdevries "$base/inloggen")
check "a form post through nginx reaches the next step (303), cookies and Origin intact: $status" test "$status" = "303 $base/inloggen/wachtwoord"
status=$(c -o /dev/null -w '%{http_code} %{redirect_url}' "http://$host:$http_port/inloggen")
check "plain http is sent to https: $status" test "$status" = "301 https://$host/inloggen"
ready=$(c "$base/readyz")
check "/readyz through nginx from this machine: $ready" grep -q '"status":"ready"' <<<"$ready"
c --interface 127.0.0.2 -o /dev/null "$base/privacy"
sleep 1.2 # the portal writes its request log in blocks, at least once a second
check "the portal logs the client's address (127.0.0.2), not nginx's" grep -q '"url":"/privacy","remoteAddress":"127.0.0.2"' "$tmp/portal.log"

# 4. A waiting room: 30 patients behind one address each open the sign-in page and post their username.
patient() {
  local jar="$tmp/jar$1" page token
  page=$(c -c "$jar" "$base/inloggen")
  token=$(printf '%s' "$page" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  c -o /dev/null -w '%{http_code}\n' -b "$jar" --data-urlencode "_csrf=$token" --data-urlencode "username=patient$1" "$base/inloggen"
}
export -f patient c; export tmp base host https_port http_port
seq 30 | xargs -P 30 -I{} bash -c 'patient {}' >"$tmp/room"
check "30 patients at once behind one address: every post answered 303 ($(sort "$tmp/room" | uniq -c | tr -s ' ' | tr '\n' ','))" test "$(grep -c '^303$' "$tmp/room")" -eq 30
# A script posting as fast as it can from one address meets nginx's limit.
seq 150 | xargs -P 10 -I{} curl -sk --resolve "$host:$https_port:127.0.0.1" -o /dev/null -w '%{http_code}\n' -d username=x "$base/inloggen" >"$tmp/flood"
check "a flood of 150 posts from one address is limited ($(grep -c '^429$' "$tmp/flood") answered 429)" test "$(grep -c '^429$' "$tmp/flood")" -gt 0
status=$(head -c 40000 /dev/zero | tr '\0' a | c -o /dev/null -w '%{http_code}' --data-binary @- -H 'content-type: application/x-www-form-urlencoded' "$base/inloggen")
check "a 40 KB body is refused by nginx: $status" test "$status" = 413

echo "$failures failed"
[ "$failures" -eq 0 ]
