#!/bin/sh
# `streamlearn local` under load: RATE labelled texts/s and RATE points/s (4 series) from
# `streamlearn generate`, for MINUTES, on top of local's own replays (20 events/s each); then the
# trainer's lag and mini-batch size at every publish, per minute, from `training-metrics`
# (BENCHMARKS.md, "local under load"). Everything on 127.0.0.1; stops by itself.
#
#   mvn -B -q package -DskipTests && ops/bench/local-load.sh [RATE] [MINUTES] [OUT_DIR]
set -eu
rate=${1:-1000}
minutes=${2:-10}
out=${3:-/tmp/streamlearn-local-load}
port=29092
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
rm -rf "$out"
mkdir -p "$out"
count=$((rate * minutes * 60))

./streamlearn local --data-dir "$out/data" --kafka-port $port --dashboard-port 0 --metrics-port 0 \
    > "$out/local.log" 2>&1 &
local_pid=$!
trap 'kill $local_pid 2>/dev/null || true' EXIT
i=0
until grep -q "streamlearn local is running." "$out/local.log"; do
  i=$((i + 1))
  if [ $i -gt 180 ]; then echo "local did not start; see $out/local.log" >&2; exit 1; fi
  sleep 1
done
start=$(date -u +%FT%TZ)
./streamlearn generate text --bootstrap 127.0.0.1:$port --count $count --rate "$rate" \
    > "$out/generate-text.log" 2>&1 &
text_pid=$!
./streamlearn generate series --bootstrap 127.0.0.1:$port --count $count --rate "$rate" --series 4 \
    > "$out/generate-series.log" 2>&1 &
series_pid=$!
# Load average and the local process's resident memory every 10 s while the generators run.
while kill -0 $text_pid 2>/dev/null || kill -0 $series_pid 2>/dev/null; do
  echo "$(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) rss_kb $(awk '/VmRSS/ {print $2}' /proc/$local_pid/status)" \
      >> "$out/samples"
  sleep 10
done
sleep 10 # the last publish
./streamlearn tail training-metrics --bootstrap 127.0.0.1:$port --from-beginning \
    > "$out/training-metrics.jsonl"
grep -o "events in .*" "$out/local.log" | tail -1 > "$out/last-status"
kill $local_pid
wait $local_pid || true
trap - EXIT

python3 - "$out/training-metrics.jsonl" "$start" <<'PY'
import datetime, json, sys
rows = [json.loads(line)["value"] for line in open(sys.argv[1])]
start = datetime.datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00"))
table = {}
for r in rows:
    at = datetime.datetime.fromisoformat(r["at"].replace("Z", "+00:00"))
    minute = max(0, int((at - start).total_seconds() // 60))
    table.setdefault(minute, {}).setdefault(r["model"], []).append(r)
models = ["text-classifier", "lstm-forecaster"]
print("| minute | " + " | ".join(
    f"{m}: publishes | lag max (ms) | lag median (ms) | largest mini-batch" for m in models) + " |")
print("|---" * (1 + 4 * len(models)) + "|")
for minute in sorted(table):
    cells = []
    for m in models:
        rs = table[minute].get(m, [])
        lags = sorted(r["lagMillis"] for r in rs if r.get("lagMillis") is not None)
        sizes = [r["batchSize"] for r in rs if r.get("batchSize") is not None]
        cells += [str(len(rs)), str(lags[-1]) if lags else "", str(lags[len(lags) // 2]) if lags else "",
                  str(max(sizes)) if sizes else ""]
    print(f"| {minute}-{minute + 1} | " + " | ".join(cells) + " |")
for m in models:
    last = [r for r in rows if r["model"] == m][-1]
    print(f"{m}: {last['examplesSeen']} examples trained; lag at the last publish {last.get('lagMillis')} ms")
PY
cat "$out/last-status"
