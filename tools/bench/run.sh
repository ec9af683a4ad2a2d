#!/usr/bin/env bash
# Benchmarks xai4j on a ResNet-18 at 224x224 on the CPU (JMH), and the same operations with PyTorch when
# /usr/bin/python3 has torch and torchvision, and with Captum when it can import captum (a Captum checkout on
# PYTHONPATH; without it the baseline is plain torch autograd and the table says so); prints one table and writes
# it to tools/bench/results.md.
#
# Environment: THREADS sets the intra-op threads of ONNX Runtime and PyTorch (default: one per core; 1 is the
# least disturbed by other load on a shared machine); JMH_ARGS overrides the JMH settings (default: one fork, one
# warmup and 3 measured iterations of 3 s, sampled per call: about 4 minutes); MVN_ARGS is passed to Maven when the
# jar is (re)built; BENCH_OUT is the folder for the raw results and the benchmark's own gradient-model cache (default
# benchmarks/target/bench); RESULTS is the table file (default tools/bench/results.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/benchmarks/target/xai4j-benchmarks.jar"
out="${BENCH_OUT:-$root/benchmarks/target/bench}"
results="${RESULTS:-$root/tools/bench/results.md}"
mkdir -p "$out"

stale() {
    [ ! -f "$jar" ] || [ -n "$(find "$root" -path '*/src/main/*' -newer "$jar" -not -path '*/target/*' -print -quit)" ] \
        || [ -n "$(find "$root" -name pom.xml -newer "$jar" -not -path '*/target/*' -print -quit)" ]
}
if stale; then
    echo "Building the benchmarks jar..." >&2
    mvn -B -q ${MVN_ARGS:-} -f "$root/pom.xml" -pl benchmarks -am package -DskipTests
fi

threads="${THREADS:-}"
# INCLUDE replaces the benchmark selection (a JMH regular expression), e.g. to time only some operations.
include_override="${INCLUDE:-}"
include='ResNet18Benchmark|ExportedExplainerBenchmark'
methods="$(java -cp "$jar" io.xai4j.bench.ListMethods 2>/dev/null || true)"
if grep -qx 'grad-cam' <<<"$methods" && grep -qx 'score-cam' <<<"$methods" && grep -qx 'ablation-cam' <<<"$methods"; then
    include='ResNet18Benchmark|ExportedExplainerBenchmark|CamBenchmark'
else
    echo "CAM methods are not on the class path; skipping CamBenchmark." >&2
fi

[ -z "$include_override" ] || include="$include_override"
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
jmh_args="${JMH_ARGS:--f 1 -wi 1 -w 3s -i 3 -r 3s}"
# shellcheck disable=SC2086
java -jar "$jar" "$include" $jmh_args -jvmArgsAppend "-Xmx6g -Dxai4j.bench.threads=${threads:-0} -Dxai4j.cache.dir=$out/gradients" -rf json -rff "$out/jmh.json" | tee "$out/jmh.log"

python=/usr/bin/python3
torch_json=""
if [ -x "$python" ] && "$python" -c 'import torch, torchvision' 2>/dev/null; then
    echo "Running the PyTorch baseline..." >&2
    "$python" "$root/tools/bench/pytorch_baseline.py" --threads "${threads:-$(nproc)}" > "$out/pytorch.json"
    torch_json="$out/pytorch.json"
else
    echo "PyTorch (torch and torchvision for $python) is not installed; skipping the baseline." >&2
fi

load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
THREADS="$threads" JMH_SETTINGS="$jmh_args" LOAD="load average (1, 5, 15 min) before: $load_before, after: $load_after" \
    python3 "$root/tools/bench/report.py" "$out/jmh.json" $torch_json | tee "$results"
