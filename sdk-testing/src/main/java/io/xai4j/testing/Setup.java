package io.xai4j.testing;

import io.xai4j.batch.Batcher;
import io.xai4j.batch.ProgressListener;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.Model;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resolved conformance configuration, and the method calls the checks make with it: {@link Run}s over some of
 * the configured examples. Every run's attribution is checked to be batch first, one row per example.
 */
final class Setup {
    final AttributionMethod method;
    final Model model;
    final Map<String, Tensor> inputs;
    final String explained;
    final String output;
    final int[] classes;
    final String layer;
    final Map<String, String> parameters;
    final long seed;
    final double tolerance;

    Setup(AttributionMethod method, Model model, Map<String, Tensor> inputs, String explained, String output,
            int[] classes, String layer, Map<String, String> parameters, long seed, double tolerance) {
        this.method = method;
        this.model = model;
        this.inputs = inputs;
        this.explained = explained;
        this.output = output;
        this.classes = classes;
        this.layer = layer;
        this.parameters = parameters;
        this.seed = seed;
        this.tolerance = tolerance;
    }

    /**
     * One method call.
     *
     * @param examples  indices of the configured examples to explain, in request order
     * @param classes   the target class of each
     * @param maxBatch  the batcher's largest batch
     * @param overrides parameter values over the configured ones
     * @param zeroInput whether the explained input is replaced by zeros
     */
    record Run(int[] examples, int[] classes, int maxBatch, long seed, Map<String, String> overrides,
            boolean zeroInput) {

        Run batch(int size) {
            return new Run(examples, classes, size, seed, overrides, zeroInput);
        }

        Run seed(long value) {
            return new Run(examples, classes, maxBatch, value, overrides, zeroInput);
        }

        /** These examples with these classes. */
        Run of(int[] exampleIndices, int[] exampleClasses) {
            return new Run(exampleIndices, exampleClasses, maxBatch, seed, overrides, zeroInput);
        }

        /** Parameter {@code name} set to {@code value}. */
        Run with(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(overrides);
            more.put(name, value);
            return new Run(examples, classes, maxBatch, seed, more, zeroInput);
        }

        Run withZeroInput() {
            return new Run(examples, classes, maxBatch, seed, overrides, true);
        }

        @Override
        public String toString() {
            return "examples " + Arrays.toString(examples) + " with classes " + Arrays.toString(classes)
                    + ", batches of at most " + maxBatch + ", seed " + seed
                    + (overrides.isEmpty() ? "" : ", parameters " + overrides) + (zeroInput ? ", zero input" : "");
        }
    }

    String name() {
        return method.descriptor().name();
    }

    int examples() {
        return classes.length;
    }

    /** Every configured example with its class, the default batcher and the configured seed. */
    Run all() {
        int[] all = new int[examples()];
        Arrays.setAll(all, i -> i);
        return new Run(all, classes.clone(), Batcher.DEFAULT_MAX_BATCH, seed, Map.of(), false);
    }

    Map<String, Tensor> run(Run run) {
        return run(run, model, ProgressListener.NONE);
    }

    /** The attribution tensors of one call on {@code target}, reporting progress to {@code listener}. */
    Map<String, Tensor> run(Run run, Model target, ProgressListener listener) {
        Map<String, Tensor> request = new LinkedHashMap<>();
        inputs.forEach((name, t) -> request.put(name, rows(t, run.examples())));
        if (run.zeroInput()) {
            request.put(explained, Tensor.zeros(request.get(explained).shape()));
        }
        Map<String, String> values = new LinkedHashMap<>(parameters);
        values.putAll(run.overrides());
        Attribution a = MethodRuns.run(method, target, Batcher.defaults().withMaxBatchSize(run.maxBatch())
                .withListener(listener), run.seed(), request, explained, MethodRuns.classes(output, run.classes()),
                values, layer);
        Attributions.checkBatchFirst(a.tensors(), run.examples().length);
        return a.tensors();
    }

    /**
     * What {@code run} must equal: each example explained alone with its class, the same seed and the default batch
     * limit; for a method that requires a {@link Requirement#BATCH}, each example's row of the same request with
     * every example at that example's class.
     */
    Map<String, Tensor> expected(Run run) {
        Run reference = run.batch(Batcher.DEFAULT_MAX_BATCH);
        List<Map<String, Tensor>> rows = new ArrayList<>();
        for (int i = 0; i < run.examples().length; i++) {
            if (batchMethod()) {
                int[] same = new int[run.examples().length];
                Arrays.fill(same, run.classes()[i]);
                rows.add(Attributions.row(run(reference.of(run.examples(), same)), i));
            } else {
                rows.add(run(reference.of(new int[] {run.examples()[i]}, new int[] {run.classes()[i]})));
            }
        }
        return Attributions.concat(rows);
    }

    /** Whether the method explains examples together ({@link Requirement#BATCH}). */
    boolean batchMethod() {
        return method.descriptor().requires(Requirement.BATCH);
    }

    /** Fails with {@code what} and the first difference unless the tensors agree within the tolerance. */
    void agree(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        Attributions.difference(expected, actual, tolerance).ifPresent(difference -> {
            throw new AssertionError(what + ": " + difference);
        });
    }

    private static Tensor rows(Tensor t, int[] indices) {
        List<Tensor> rows = new ArrayList<>();
        for (int i : indices) {
            rows.add(t.rows(i, i + 1).copy());
        }
        return Tensor.concat(rows);
    }
}
