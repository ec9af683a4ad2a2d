package io.xai4j.spark;

import io.xai4j.api.ExplainOptions;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.io.ExplanationFiles;
import io.xai4j.metric.Evaluation;
import io.xai4j.metric.MetricResult;
import io.xai4j.spi.Model;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains the rows of one partition, {@code batchSize} rows per model call, on the model this executor opened
 * once ({@link ExecutorModels}). Rows stream through: a partition is never held in memory. A row whose input or
 * target is bad gets its error in the {@code error} column and the others go on; anything else fails the task, for
 * Spark to retry. When an output folder is given, each row's files are written there as one set, replacing the set
 * of an earlier attempt of the same task, so retries leave each row's files exactly once.
 */
final class PartitionExplainer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionExplainer.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final Broadcast<ModelBytes> model;
    private final ExplainSettings settings;
    private final String outputDir;
    private final String inputRoot;
    private final boolean withAttribution;
    private final LongAccumulator explained;
    private final LongAccumulator failed;

    PartitionExplainer(Broadcast<ModelBytes> model, ExplainSettings settings, String outputDir, String inputRoot,
            boolean withAttribution, LongAccumulator explained, LongAccumulator failed) {
        this.model = model;
        this.settings = settings;
        this.outputDir = outputDir;
        this.inputRoot = inputRoot;
        this.withAttribution = withAttribution;
        this.explained = explained;
        this.failed = failed;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ModelBytes bytes = model.value();
        return new Batches(rows, ExecutorModels.model(bytes, settings.threads()));
    }

    /** One row's explanation and its score by each metric. */
    private record Explained(Explanation explanation, Map<String, Double> metrics) {
    }

    /** The rows of the partition, explained batch by batch as they are asked for. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final Model model;
        private final TensorSpec spec;
        private final int partition;
        private final Deque<Row> ready = new ArrayDeque<>();
        private final long start = System.nanoTime();
        private long lastLog = start;
        private long index;
        private long done;
        private long errors;

        Batches(Iterator<Row> rows, Model model) {
            this.rows = rows;
            this.model = model;
            this.spec = model.signature().firstInput();
            TaskContext task = TaskContext.get();
            this.partition = task == null ? 0 : task.partitionId();
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && rows.hasNext()) {
                explainNextBatch();
            }
            if (ready.isEmpty() && done + errors > 0 && lastLog != 0) {
                LOG.info("partition {}: {} rows explained, {} failed, in {} s", partition, done, errors,
                        (System.nanoTime() - start) / 1_000_000_000);
                lastLog = 0;
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void explainNextBatch() {
            List<Row> batch = new ArrayList<>();
            List<RowInput> inputs = new ArrayList<>();
            Row[] results = new Row[settings.batchSize()];
            while (batch.size() < settings.batchSize() && rows.hasNext()) {
                Row row = rows.next();
                String id = id(row, index++);
                try {
                    inputs.add(RowInput.of(row, id, settings, spec));
                } catch (XaiException e) {
                    results[batch.size()] = OutputColumns.failed(row, e.getMessage());
                    inputs.add(null);
                }
                batch.add(row);
            }
            // rows of one shape share a model call (images are resized to the model's input, so all of them)
            Map<String, List<Integer>> byShape = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i) != null) {
                    byShape.computeIfAbsent(Arrays.toString(inputs.get(i).input().tensor().shape()),
                            k -> new ArrayList<>()).add(i);
                }
            }
            for (List<Integer> group : byShape.values()) {
                explain(group, batch, inputs, results);
            }
            for (int i = 0; i < batch.size(); i++) {
                boolean ok = results[i].isNullAt(results[i].length() - 1); // the error column, last
                if (ok) {
                    done++;
                    explained.add(1);
                } else {
                    errors++;
                    failed.add(1);
                }
                ready.add(results[i]);
            }
            long now = System.nanoTime();
            if (now - lastLog > LOG_EVERY_NANOS) {
                LOG.info("partition {}: {} rows explained, {} failed, {} rows/s", partition, done, errors,
                        String.format("%.1f", (done + errors) * 1e9 / (now - start)));
                lastLog = now;
            }
        }

        /** Explains the rows {@code group} in one call; when that fails on bad input, each row alone. */
        private void explain(List<Integer> group, List<Row> batch, List<RowInput> inputs, Row[] results) {
            List<RowInput> rowsOfGroup = group.stream().map(inputs::get).toList();
            List<Explained> perRow;
            try {
                perRow = explainTogether(rowsOfGroup);
            } catch (XaiException e) {
                if (group.size() == 1) {
                    results[group.get(0)] = OutputColumns.failed(batch.get(group.get(0)), e.getMessage());
                    return;
                }
                for (Integer i : group) {
                    explain(List.of(i), batch, inputs, results);
                }
                return;
            }
            for (int k = 0; k < group.size(); k++) {
                int i = group.get(k);
                RowInput input = inputs.get(i);
                String folder = outputDir == null ? null : RowFolders.of(input.id(), inputRoot);
                Explained explained = perRow.get(k);
                if (folder != null) {
                    ExplanationFiles.write(explained.explanation(), input.input(), Path.of(outputDir).resolve(folder));
                }
                results[i] = OutputColumns.explained(batch.get(i), explained.explanation(), explained.metrics(),
                        folder, withAttribution);
            }
        }

        /** Each row's explanation and metric scores, from one call for the group. */
        private List<Explained> explainTogether(List<RowInput> group) {
            Tensor stacked = Tensor.concat(group.stream().map(r -> r.input().tensor()).toList());
            List<String> targets = group.stream().map(RowInput::target).toList();
            List<String> sources = group.stream().map(RowInput::id).toList();
            String preprocessing = group.get(0).input().preprocessing();
            Map<String, Tensor> inputs = Map.of(spec.name(), stacked);
            ExplainOptions options = settings.options(targets, sources, preprocessing);
            Explanation e;
            List<MetricResult> scores = List.of();
            if (settings.metrics().isEmpty()) {
                e = one(ExecutorModels.xai().explain(model, inputs, options), targets);
            } else {
                List<Evaluation.Scored> scored = ExecutorModels.evaluation().evaluate(model, inputs, options,
                        settings.metricChoices(), List.of(), null);
                e = one(scored.stream().map(Evaluation.Scored::explanation).toList(), targets);
                scores = scored.get(0).results();
            }
            List<Explained> perRow = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                for (MetricResult r : scores) {
                    metrics.put(r.metric(), r.scores()[i]);
                }
                perRow.add(new Explained(e.example(i), metrics));
            }
            return perRow;
        }

        private static Explanation one(List<Explanation> explanations, List<String> targets) {
            if (explanations.size() != 1) {
                throw new XaiException(ErrorCode.UNKNOWN_TARGET, "target '" + String.join(";", targets)
                        + "' gives " + explanations.size() + " explanations of each row; a row takes one target"
                        + " (a class, a slice, top1 or a per-row target column)");
            }
            return explanations.get(0);
        }

        private String id(Row row, long rowIndex) {
            String column = settings.idColumn() != null ? settings.idColumn()
                    : Arrays.asList(row.schema().fieldNames()).contains("path") ? "path" : null;
            if (column != null && !row.isNullAt(row.fieldIndex(column))) {
                return String.valueOf(row.get(row.fieldIndex(column)));
            }
            return String.format("part-%05d/row-%d", partition, rowIndex);
        }
    }
}
