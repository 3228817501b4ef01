#!/usr/bin/env bash
# npm run scan: a web vulnerability scan of the running portal with wapiti (Debian's package).
# Starts the portal on a fresh temporary database on 127.0.0.1, scans only that origin for a bounded
# time, writes the report to scan-report/, and stops the portal again. Not part of `npm test`.
# Findings and what was done about them: docs/security.md.
#
#   SCAN_MAX_SECONDS   whole scan, default 900
#   SCAN_ATTACK_SECONDS  per attack module, default 120
#   SCAN_MODULES       wapiti modules, default below
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wapiti >/dev/null 2>&1; then
  echo "wapiti ontbreekt: installeren uit Debian (apt-get install -y wapiti)..."
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y wapiti || { $sudo apt-get update && $sudo apt-get install -y wapiti; }
fi

# Modules that make sense for a server-rendered form portal on a closed network. Left out: ssrf (needs
# an outside endpoint), nikto and wapp (download their databases), buster and brute_login_form (they
# only hammer the throttle), the WordPress and takeover checks.
modules="${SCAN_MODULES:-backup,blindsql,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,redirect,shellshock,sql,xss,xxe}"
max_seconds="${SCAN_MAX_SECONDS:-900}"
attack_seconds="${SCAN_ATTACK_SECONDS:-120}"

work="$(mktemp -d)"
port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')"
base="http://127.0.0.1:${port}"
out="scan-report"
mkdir -p "$out"

# Development mode on purpose: the dev outbox lets the crawler follow the demo patient's invitation
# into the onboarding pages, and http keeps the session cookie (production refuses plain http).
NODE_ENV=development DATABASE_PATH="$work/portal.db" PORT="$port" HOST=127.0.0.1 PUBLIC_URL="$base" \
  node --import tsx src/server.ts >"$out/portal.log" 2>&1 &
portal=$!
cleanup() {
  kill -TERM "$portal" 2>/dev/null || true
  wait "$portal" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "$base/inloggen" 2>/dev/null && break
  kill -0 "$portal" 2>/dev/null || { echo "Het portaal startte niet:"; cat "$out/portal.log"; exit 1; }
  sleep 0.5
done

echo "wapiti tegen $base (modules: $modules; maximaal ${max_seconds}s)"
# The crawler does not follow the 303 from / to the sign-in page: name the entry points.
starts=()
for path in /inloggen /wachtwoord-vergeten /dev/outbox /disclaimer /privacy; do starts+=(-s "$base$path"); done
wapiti -u "$base/" --scope folder "${starts[@]}" -m "$modules" \
  --max-scan-time "$max_seconds" --max-attack-time "$attack_seconds" -d 8 --max-links-per-page 50 \
  --flush-session --store-session "$work/wapiti-session" --store-config "$work/wapiti-config" \
  -f json -o "$out/wapiti.json" --no-bugreport -v 1

# A short summary on the terminal: every finding category with its count.
node -e '
const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
const rows = []
for (const [kind, items] of Object.entries({ ...report.vulnerabilities, ...report.anomalies, ...report.additionals })) {
  if (items.length) rows.push(`${String(items.length).padStart(4)}  ${kind}`)
}
console.log(rows.length ? `Bevindingen:\n${rows.join("\n")}` : "Geen bevindingen.")
console.log(`Rapport: ${process.argv[1]}`)
' "$out/wapiti.json"
