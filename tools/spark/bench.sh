#!/usr/bin/env bash
# Spark overhead: images per second per core of the Spark job in local mode against the plain Java API, saliency
# on the demo model and on the benchmark ResNet-18 (random weights), medians of alternating rounds.
#   tools/spark/bench.sh [IMAGES] [ROUNDS]      (default: 256 images, 5 rounds)
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGES=${1:-256}
ROUNDS=${2:-5}
# one reactor run, so that the class path names this checkout's modules, not jars installed earlier
mvn -B -q -pl spark,benchmarks -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
WORK=$(mktemp -d -t xai4j-spark-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
java -cp benchmarks/target/xai4j-benchmarks.jar io.xai4j.bench.WriteResNet18 "$WORK/resnet18.onnx"
source tools/spark/java-options.sh
# the class path goes in an argument file: ONNX Runtime refuses command lines over about 4 KB
echo "-cp \"spark/target/test-classes:spark/target/classes:$(cat spark/target/test-classpath.txt)\"" > "$WORK/cp.args"
for model in cli/src/main/resources/io/xai4j/cli/demo/shapes-cnn.onnx "$WORK/resnet18.onnx"; do
  n=$IMAGES
  [[ $model == *resnet18* ]] && n=$((IMAGES / 4))
  java "${OPENS[@]}" -Xmx4g @"$WORK/cp.args" io.xai4j.spark.SparkThroughput "$model" "$n" saliency "$ROUNDS" 2>/dev/null
done
