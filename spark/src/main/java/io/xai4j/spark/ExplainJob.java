package io.xai4j.spark;

import io.xai4j.error.ErrorType;
import io.xai4j.error.XaiException;
import io.xai4j.io.Labels;
import io.xai4j.metric.Evaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} entry point: explains a folder of images or a Parquet table and writes each row's files
 * and a JSON Lines summary ({@link SparkExplainer#write}). Exit codes are the CLI's: 0 when every row was
 * explained, 3 when some rows had bad input (their errors are in the summary), and for a failure before any row,
 * the exit code of its error type (2 bad arguments, 4 a bad model, ...).
 */
@Command(name = "xai4j-spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Explains a folder of images (PNG, JPEG, BMP, recursively) or a Parquet table on Spark.")
public final class ExplainJob implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "the ONNX model file (read on the driver)")
    Path model;

    @Option(names = "--input", required = true, description = "a folder of images, or a Parquet file or folder")
    String input;

    @Option(names = "--format", defaultValue = "auto", description = "images, parquet, or auto (parquet when the"
            + " input ends in .parquet); default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--out", required = true, description = "the output folder: files/ and summary/")
    Path out;

    @Option(names = "--method", defaultValue = "saliency", description = "the method; default: ${DEFAULT-VALUE}")
    String method;

    @Option(names = "--param", description = "a method parameter KEY=VALUE; repeatable")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--target", defaultValue = "top1", description = "the target of every row without a target"
            + " column value; default: ${DEFAULT-VALUE}")
    String target;

    @Option(names = "--target-column", description = "a column of per-row targets (Parquet input)")
    String targetColumn;

    @Option(names = "--input-column", description = "the input column; default: content (images) or image")
    String inputColumn;

    @Option(names = "--id-column", description = "the column naming each row (Parquet input); default: path")
    String idColumn;

    @Option(names = "--metric", description = "also score each row's explanation with this metric (deletion,"
            + " insertion, ...); repeatable; the summary gets the scores and the mean of each is printed")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--metric-param", description = "a metric parameter METRIC.KEY=VALUE, or KEY=VALUE for every"
            + " metric that takes it; repeatable")
    Map<String, String> metricParameters = new LinkedHashMap<>();

    @Option(names = "--labels", description = "class names: a file (one per line, or JSON) or imagenet")
    String labels;

    @Option(names = "--layer", description = "the layer of layer methods")
    String layer;

    @Option(names = "--preprocess", defaultValue = "imagenet", description = "image preprocessing; default:"
            + " ${DEFAULT-VALUE}")
    String preprocessing;

    @Option(names = "--batch-size", defaultValue = "16", description = "rows per model call; default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--partitions", defaultValue = "0", description = "repartition the input into N partitions"
            + " (0 keeps the source's)")
    int partitions;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads per model call; 0: Spark's"
            + " cores per task")
    int threads;

    @Option(names = "--seed", defaultValue = "42", description = "seed of random methods; default: ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() {
        SparkSession spark = SparkSession.builder().appName("xai4j " + method).getOrCreate();
        try {
            boolean parquet = format.equals("parquet") || (format.equals("auto") && input.endsWith(".parquet"));
            Dataset<Row> rows = parquet ? spark.read().parquet(input)
                    : spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                            .option("pathGlobFilter", "*.{png,jpg,jpeg,bmp,PNG,JPG,JPEG,BMP}").load(input);
            if (partitions > 0) {
                rows = rows.repartition(partitions);
            }
            SparkExplainer.Builder builder = SparkExplainer.builder(spark, model).method(method).target(target)
                    .targetColumn(targetColumn).idColumn(idColumn).layer(layer).preprocessing(preprocessing)
                    .batchSize(batchSize).seed(seed).threads(threads).inputColumn(inputColumn != null ? inputColumn
                            : parquet ? "image" : "content");
            parameters.forEach(builder::param);
            for (Evaluation.Choice choice : ExecutorModels.evaluation().choices(metrics, metricParameters)) {
                Map<String, String> values = new LinkedHashMap<>();
                choice.parameters().forEach((key, value) -> values.put(key, String.valueOf(value)));
                builder.metric(choice.metric(), values);
            }
            if (labels != null) {
                builder.classNames(Labels.resolve(labels));
            }
            long start = System.nanoTime();
            List<Row> summary = builder.build().write(rows, out, parquet ? null : input).collectAsList();
            double seconds = (System.nanoTime() - start) / 1e9;
            long failed = summary.stream().filter(r -> r.getAs(OutputColumns.ERROR) != null).count();
            System.out.printf("explained %d rows (%d failed) in %.1f s: %.2f rows/s; summary in %s%n",
                    summary.size() - failed, failed, seconds, summary.size() / seconds, out.resolve("summary"));
            for (String metric : metrics) {
                double[] scores = summary.stream().filter(r -> r.getAs(OutputColumns.METRICS) != null)
                        .map(r -> r.<scala.collection.Map<String, Object>>getAs(OutputColumns.METRICS).get(metric))
                        .filter(scala.Option::isDefined).mapToDouble(o -> ((Number) o.get()).doubleValue())
                        .filter(Double::isFinite).toArray();
                System.out.printf("%s: mean %.4f over %d rows%n", metric,
                        Arrays.stream(scores).average().orElse(Double.NaN), scores.length);
            }
            return failed == 0 ? 0 : ErrorType.INPUT.exitCode();
        } finally {
            spark.stop();
        }
    }

    /** Errors of the library print their message and exit with their type's code; anything else is a bug. */
    static final CommandLine.IExecutionExceptionHandler ERRORS = (e, cmd, parsed) -> {
        if (e instanceof XaiException x) {
            cmd.getErr().println("error: " + x.getMessage());
            return x.code().type().exitCode();
        }
        throw e;
    };

    public static void main(String[] args) {
        System.exit(new CommandLine(new ExplainJob()).setExecutionExceptionHandler(ERRORS).execute(args));
    }
}
