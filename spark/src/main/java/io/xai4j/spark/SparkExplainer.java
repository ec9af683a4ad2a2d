package io.xai4j.spark;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.metric.Evaluation;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.Parameters;
import io.xai4j.target.Target;
import io.xai4j.target.TargetParser;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs an xai4j method over a Spark DataFrame. Each row holds an input (image bytes, as Spark's {@code binaryFile}
 * source reads them, or an array of numbers) and, optionally, a target; {@link #explain} returns the rows with the
 * attribution and a summary of the explanation appended ({@link #addedColumns()}), and {@link #write} also writes
 * each row's {@code attribution.npy}, {@code heatmap.png} and {@code explanation.json} under a folder, partitioned
 * like the input, with a JSON Lines summary.
 *
 * <p>The model file is read once on the driver and broadcast; each executor JVM opens it once and shares it across
 * tasks and partitions, so the gradient graph is built once per executor. Rows are explained
 * {@link Builder#batchSize} at a time, one model call per batch.
 */
public final class SparkExplainer {
    private final SparkSession spark;
    private final Broadcast<ModelBytes> model;
    private final ExplainSettings settings;

    private SparkExplainer(SparkSession spark, Broadcast<ModelBytes> model, ExplainSettings settings) {
        this.spark = spark;
        this.model = model;
        this.settings = settings;
    }

    /** A builder for explanations of {@code modelFile}, which is read now, on the driver. */
    public static Builder builder(SparkSession spark, Path modelFile) {
        return new Builder(spark, modelFile);
    }

    /** The names of the columns {@link #explain} appends, in order. */
    public static List<String> addedColumns() {
        return OutputColumns.names();
    }

    /**
     * The rows of {@code input} with the explanation's columns: {@code attribution} (the example's values, flat,
     * row-major) and {@code attribution_shape}, {@code target_label}, the top prediction ({@code prediction},
     * {@code prediction_label}, {@code prediction_score}), {@code explanation} (the explanation's JSON, tensors
     * summarised), {@code metrics} (each chosen metric's score, or null), {@code output_folder} (null here) and
     * {@code error}, set instead of the others for a row whose
     * input or target is bad. Lazy, as Spark transformations are.
     */
    public Dataset<Row> explain(Dataset<Row> input) {
        return run(input, null, null, true);
    }

    /**
     * Explains every row of {@code input} and writes, for each, {@code attribution.npy}, {@code heatmap.png} and
     * {@code explanation.json} into {@code outputDir/files/<row folder>}: the row's source path below
     * {@code inputRoot} (for rows of a {@code binaryFile} source), or its id column; the summary's
     * {@code output_folder} is that folder, relative to {@code outputDir/files}. The summary, every column but
     * the input and the attribution, goes to {@code outputDir/summary} as JSON Lines through Spark's own committer,
     * so a retried task never duplicates a row there. {@code outputDir} must be a file system path that every
     * executor sees (local, or a shared mount). Returns the summary as written.
     */
    public Dataset<Row> write(Dataset<Row> input, Path outputDir, String inputRoot) {
        Dataset<Row> summary = run(input, outputDir.toAbsolutePath().resolve("files").toString(), inputRoot,
                false)
                .drop(settings.inputColumn(), OutputColumns.ATTRIBUTION, OutputColumns.ATTRIBUTION_SHAPE);
        summary.write().mode(SaveMode.Overwrite).json(outputDir.resolve("summary").toString());
        return spark.read().schema(summary.schema()).json(outputDir.resolve("summary").toString());
    }

    private Dataset<Row> run(Dataset<Row> input, String outputDir, String inputRoot, boolean withAttribution) {
        String[] columns = input.columns();
        for (String needed : new String[] {settings.inputColumn(), settings.targetColumn(), settings.shapeColumn(),
                settings.idColumn()}) {
            if (needed != null && !Arrays.asList(columns).contains(needed)) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the input has no column '" + needed
                        + "'; its columns: " + String.join(", ", columns));
            }
        }
        StructType schema = OutputColumns.appendTo(input.schema());
        LongAccumulator explained = spark.sparkContext().longAccumulator("xai4j rows explained");
        LongAccumulator failed = spark.sparkContext().longAccumulator("xai4j rows failed");
        return input.mapPartitions(new PartitionExplainer(model, settings, outputDir, inputRoot, withAttribution,
                explained, failed), Encoders.row(schema));
    }

    /** Settings of a {@link SparkExplainer}; the method and its parameters are checked by {@link #build()}. */
    public static final class Builder {
        private final SparkSession spark;
        private final Path modelFile;
        private String method = "saliency";
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private String target = "top1";
        private String targetColumn;
        private String inputColumn = "content";
        private String shapeColumn;
        private String idColumn;
        private String preprocessing = "imagenet";
        private String layer;
        private String ruleSet;
        private List<String> classNames = List.of();
        private int batchSize = 16;
        private long seed = 42;
        private int threads;
        private final Map<String, Map<String, String>> metrics = new LinkedHashMap<>();

        private Builder(SparkSession spark, Path modelFile) {
            this.spark = spark;
            this.modelFile = modelFile;
        }

        public Builder method(String value) {
            this.method = value;
            return this;
        }

        /** A method parameter as text, as on the command line. */
        public Builder param(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        /** The target of rows without a target column value: {@code top1} (default), a class, a slice. */
        public Builder target(String spec) {
            this.target = spec;
            return this;
        }

        /** A column with each row's target: a class index or a target spec. */
        public Builder targetColumn(String column) {
            this.targetColumn = column;
            return this;
        }

        /** The column holding the input: image bytes or an array of numbers; {@code content} by default. */
        public Builder inputColumn(String column) {
            this.inputColumn = column;
            return this;
        }

        /** For array inputs of models with symbolic example dimensions: the column of each row's example shape. */
        public Builder shapeColumn(String column) {
            this.shapeColumn = column;
            return this;
        }

        /** The column naming each row; by default {@code path} when present, else partition and row number. */
        public Builder idColumn(String column) {
            this.idColumn = column;
            return this;
        }

        /** The image preprocessing, a preset or spec as for {@code --preprocess}; {@code imagenet} by default. */
        public Builder preprocessing(String spec) {
            this.preprocessing = spec;
            return this;
        }

        public Builder layer(String tensor) {
            this.layer = tensor;
            return this;
        }

        public Builder ruleSet(String name) {
            this.ruleSet = name;
            return this;
        }

        public Builder classNames(List<String> names) {
            this.classNames = List.copyOf(names);
            return this;
        }

        /** Rows per model call inside a partition; 16 by default. */
        public Builder batchSize(int rows) {
            if (rows < 1) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "batch size must be at least 1, got " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Also scores each row's explanation with a metric, e.g. {@code deletion} or {@code insertion} with
         * parameters as text (see {@code xai4j evaluate}); the scores go to the {@code metrics} column.
         */
        public Builder metric(String name, Map<String, String> parameters) {
            metrics.put(name, new LinkedHashMap<>(parameters));
            return this;
        }

        /**
         * ONNX Runtime's threads per model call. By default Spark's cores per task ({@code spark.task.cpus}, usually
         * 1): the executor's task slots already use its cores in parallel.
         */
        public Builder threads(int value) {
            if (value < 0) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "threads must be 0 (Spark's cores per task) or"
                        + " more, got " + value);
            }
            this.threads = value;
            return this;
        }

        /**
         * Checks the method, its parameters and the target on the driver, then broadcasts the model.
         *
         * @throws XaiException for an unknown method, a bad parameter or target, or an unreadable model
         */
        public SparkExplainer build() {
            AttributionMethod found = ExecutorModels.xai().methods().get(method);
            Parameters.parse(found.descriptor(), parameters);
            ExecutorModels.evaluation().check(metrics.entrySet().stream()
                    .map(e -> new Evaluation.Choice(e.getKey(), e.getValue())).toList());
            Target parsed = TargetParser.parse(target);
            if (parsed instanceof Target.TopK topK && topK.k() > 1) {
                throw new XaiException(ErrorCode.UNKNOWN_TARGET, "target '" + target + "' gives " + topK.k()
                        + " explanations of each row; a row takes one target: a class, a slice, top1, or a target"
                        + " column");
            }
            ModelBytes bytes = ModelBytes.read(modelFile);
            int taskThreads = threads > 0 ? threads : spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
            ExecutorModels.model(bytes, taskThreads);
            ExplainSettings settings = new ExplainSettings(method, parameters, target, targetColumn, inputColumn,
                    shapeColumn, idColumn, preprocessing, layer, ruleSet, classNames, batchSize, seed, taskThreads,
                    metrics);
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            return new SparkExplainer(spark, context.broadcast(bytes), settings);
        }
    }
}
