#!/usr/bin/env bash
# The README's promise, checked as a newcomer meets it: a fresh clone of this repository's HEAD in a clean
# directory, only the system's Node on PATH (no .tools/, no node_modules/.bin), then `npm start` until
# GET /healthz answers 200, and `npx debtrail --help` in that shell. `npm start` brings Node >= 22 into the
# clone's .tools/ and runs `npm ci` itself (scripts/toolchain.mjs). Not `npm test` there: it would run this again.
# .ci/run runs it before `npm test`; `npm run check:fresh-clone` runs it alone. Fails after FRESH_CLONE_TIMEOUT_S
# (default 600) seconds; prints the time it took.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
limit="${FRESH_CLONE_TIMEOUT_S:-600}"
work="$(mktemp -d "${TMPDIR:-/tmp}/debtrail-fresh-clone.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Only the system's directories: whatever put a newer Node first on this shell's PATH is left out.
clean_path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '/\.tools/' -e '/node_modules/' | paste -sd: -)"
system_node="$(PATH="$clean_path" command -v node || true)"
[ -n "$system_node" ] || { echo "fresh-clone: no node on the system PATH ($clean_path)"; exit 1; }
echo "fresh-clone: system Node $("$system_node" --version) ($system_node); cloning $(git -C "$repo" rev-parse --short HEAD) into $work"
git clone --quiet --no-hardlinks "$repo" "$work/debtrail"
free_port() { "$system_node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port="$(free_port)"
chain_port="$(free_port)"

start=$(date +%s)
cd "$work/debtrail"
# A clean environment for the project: nothing of a calling `npm run`, no configuration of this checkout.
clean_env=(env -u npm_execpath -u npm_node_execpath -u npm_config_prefix -u NODE -u DATA_DIR -u CHAIN_RPC_URL
  -u DEBTRAIL_DEV_CHAIN -u DEBTRAIL_API_KEYS -u DEPLOYMENT_FILE -u DEBTRAIL_CHAIN_START PATH="$clean_path")
"${clean_env[@]}" PORT="$port" CHAIN_PORT="$chain_port" setsid npm start > "$work/start.log" 2>&1 &
pid=$!

ok=""
while [ $(( $(date +%s) - start )) -lt "$limit" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)" = "200" ]; then ok=1; break; fi
  sleep 2
done
took=$(( $(date +%s) - start ))
if [ -z "$ok" ]; then
  echo "fresh-clone: FAILED — /healthz did not answer 200 within ${took} s; npm start's output:"
  tail -n 60 "$work/start.log"
  exit 1
fi
echo "fresh-clone: /healthz answered 200 after ${took} s (npm start in a fresh clone, system Node only)"
grep -E "^debtrail: " "$work/start.log" | sed 's/^/  /' || true

root="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port/")"
case "$root" in
  3*/console*) echo "fresh-clone: / opens the console ($root)";;
  *) echo "fresh-clone: FAILED — / answered $root instead of opening the console"; exit 1;;
esac

# A new shell with the system's Node: the debtrail command runs (under the clone's Node 22) and talks to the API.
if ! out="$("${clean_env[@]}" npx --no-install debtrail status --api "http://127.0.0.1:$port" --key dev-admin --lang en NO-SUCH-CONTRACT 2>&1)"; then
  case "$out" in
    *"No claim matches"*) echo "fresh-clone: npx debtrail runs in a new shell (status of an unknown contract number: not found, as it should be)";;
    *) echo "fresh-clone: FAILED — npx debtrail: $out"; exit 1;;
  esac
else
  echo "fresh-clone: FAILED — npx debtrail status found a claim that does not exist: $out"; exit 1
fi
echo "fresh-clone: passed in $(( $(date +%s) - start )) s"
