#!/usr/bin/env bash
# Runs xai4j's Spark job on a standalone Spark cluster on this machine: a master and two workers (one core each) on
# loopback, over a folder of generated images, first with one executor core, then with two. Reports images per
# second for each and stops everything it started. Needs only Java and Maven: Spark's jars come from Maven, laid out
# as a Spark home under spark/target/spark-home.
#
#   tools/spark/standalone.sh [IMAGES] [METHOD]      (default: 480 images, saliency)
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGES=${1:-480}
METHOD=${2:-saliency}
WORK=$(mktemp -d -t xai4j-spark-XXXXXX)
HOME_DIR=spark/target/spark-home
JOB_JAR=spark/target/xai4j-spark-0.1.0-SNAPSHOT-job.jar
PIDS=()

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap stop_all EXIT

if [ ! -f "$JOB_JAR" ] || [ ! -d "$HOME_DIR/jars" ]; then
  mvn -B -q -pl spark -am package -DskipTests
  mvn -B -q -pl spark dependency:copy-dependencies -DincludeScope=compile -DoutputDirectory=target/spark-home/jars \
    -DexcludeGroupIds=io.xai4j,com.microsoft.onnxruntime,org.ejml,info.picocli
fi

source tools/spark/java-options.sh
export SPARK_HOME=$PWD/$HOME_DIR SPARK_SCALA_VERSION=2.13
export SPARK_LOG_DIR=$WORK/logs SPARK_WORKER_DIR=$WORK/work
mkdir -p "$SPARK_LOG_DIR" "$SPARK_WORKER_DIR"
spark_java() { java "${OPENS[@]}" -Xmx1g -cp "$SPARK_HOME/jars/*" "$@"; }

# the images: the demo's generated shapes, copied under distinct names into 4 subfolders
for ((i = 0; i < IMAGES; i++)); do
  samples=(cli/src/main/resources/io/xai4j/cli/demo/samples/*.png)
  mkdir -p "$WORK/images/part-$((i % 4))"
  cp "${samples[$((i % ${#samples[@]}))]}" "$WORK/images/part-$((i % 4))/image-$i.png"
done

PORT=$((20000 + RANDOM % 20000))
spark_java org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port 0 \
  > "$WORK/logs/master.out" 2>&1 &
PIDS+=($!)
for w in 1 2; do
  spark_java org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 3g --webui-port 0 \
    "spark://127.0.0.1:$PORT" > "$WORK/logs/worker-$w.out" 2>&1 &
  PIDS+=($!)
done
for _ in $(seq 60); do
  [ "$(grep -l "Successfully registered with master" "$WORK"/logs/worker-*.out 2>/dev/null | wc -l)" = 2 ] && break
  sleep 1
done
grep -q "Successfully registered" "$WORK/logs/worker-2.out" || { echo "workers did not start" >&2; cat "$WORK"/logs/*.out >&2; exit 1; }

for cores in 1 2; do
  echo "== $cores executor core(s), $IMAGES images, $METHOD"
  spark_java org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$PORT" \
    --conf spark.cores.max="$cores" --conf spark.executor.cores=1 --conf spark.executor.memory=2g \
    --conf spark.ui.enabled=false --class io.xai4j.spark.ExplainJob "$JOB_JAR" \
    --model cli/src/main/resources/io/xai4j/cli/demo/shapes-cnn.onnx --input "$WORK/images" \
    --out "$WORK/out-$cores" --method "$METHOD" --partitions 8 2> "$WORK/logs/submit-$cores.err" \
    | grep "^explained" || { grep -v "^\s*at " "$WORK/logs/submit-$cores.err" | grep -i -m5 -B2 -A3 "exception\|error" >&2; tail -5 "$WORK/logs/submit-$cores.err" >&2; exit 1; }
done
