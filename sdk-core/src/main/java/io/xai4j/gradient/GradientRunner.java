package io.xai4j.gradient;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.layer.GraphNode;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.Dim;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.Model;
import io.xai4j.spi.TensorSpec;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the gradient engine over many rows in few calls; shared by every gradient-based method.
 *
 * <p>Inputs are the model's inputs and may include intermediate tensors, whose values the engine then uses
 * instead of computing them ({@link io.xai4j.spi.GradientRequest}).
 *
 * <p>Each row belongs to an example of the request ({@code exampleOf[row]}), whose target gives the row's
 * seed: ones at the target's output elements, zeros elsewhere. Rows are split into batches by the context's
 * {@link Batcher} (progress goes to its listener), counting per row the input elements times (1 + number of
 * wrt tensors), the output elements, and what the engine keeps per row ({@link GradientEngine#bytesPerRow}).
 * The output's row shape comes from the model signature when all its non-batch dimensions are fixed, otherwise
 * from one forward pass on one row, done once per runner.
 *
 * <p>Two ways to run: {@link #run} takes rows that already exist and returns the whole result, and
 * {@link #stream} generates one input's rows batch by batch and hands each batch's result to a sink, so
 * that methods with many rows per example (integration steps, noise samples) never hold them all.
 *
 * <p>Not thread-safe: create one runner per method call.
 */
public final class GradientRunner {

    /** Writes generated input rows. */
    @FunctionalInterface
    public interface RowWriter {
        /**
         * @param start the first row, within the whole run
         * @param end   one past the last row
         * @param rows  a compact {@code [end - start, ...]} buffer to overwrite completely; it is reused
         */
        void write(int start, int end, Tensor rows);
    }

    /** Receives the result of each batch, in row order. Tensors in it may be reused after it returns. */
    @FunctionalInterface
    public interface BatchSink {
        void accept(GradientBatch batch);
    }

    private final Model model;
    private final GradientEngine engine;
    private final Batcher batcher;
    private final ResolvedTarget target;
    private final String ruleSet;
    private int[] outputRowShape;
    private int engineCalls;
    private long rowsEvaluated;

    private GradientRunner(Model model, GradientEngine engine, Batcher batcher, ResolvedTarget target,
            String ruleSet) {
        this.model = model;
        this.engine = engine;
        this.batcher = batcher;
        this.target = target;
        this.ruleSet = ruleSet;
    }

    /**
     * A runner for the context's model and batcher.
     *
     * @throws XaiException {@link ErrorCode#MISSING_CAPABILITY} naming {@code method} when the model has no
     *                      gradient engine
     */
    public static GradientRunner create(AttributionContext context, String method, ResolvedTarget target) {
        return create(context, method, target, 0);
    }

    /** As {@link #create(AttributionContext, String, ResolvedTarget)}, with at most {@code maxBatchSize} rows per
     * engine call (0: the batcher's own limit). */
    public static GradientRunner create(AttributionContext context, String method, ResolvedTarget target,
            int maxBatchSize) {
        if (maxBatchSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 0 (0: the batcher's), got " + maxBatchSize);
        }
        GradientEngine engine = context.gradients(method);
        Batcher batcher = context.batcher();
        if (maxBatchSize > 0 && maxBatchSize < batcher.maxBatchSize()) {
            batcher = batcher.withMaxBatchSize(maxBatchSize);
        }
        return new GradientRunner(context.model(), engine, batcher, target, context.ruleSet());
    }

    /**
     * Differentiates rows that already exist.
     *
     * @param task      the task name for progress reports
     * @param inputs    every model input, batch first, all with {@code exampleOf.length} rows (views are fine)
     * @param exampleOf per row, the example of the target it belongs to
     * @return gradients, activations, output and scores of all rows ({@code start} 0); the engine's tensors
     *         themselves when one batch covers all rows, else preallocated tensors filled batch by batch
     */
    public GradientBatch run(String task, Map<String, Tensor> inputs, int[] exampleOf, GradientQuery query) {
        int rows = exampleOf.length;
        checkExamples(exampleOf);
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            if (e.getValue().rank() == 0 || e.getValue().dim(0) != rows) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + ", expected " + rows + " rows");
            }
        }
        if (rows == 0) {
            throw new IllegalArgumentException("no rows to differentiate");
        }
        Map<String, Tensor> oneRow = slice(inputs, 0, 1);
        learnOutputShape(oneRow);
        Result result = new Result(rows, exampleOf);
        batcher.forEach(task, rows, bytesPerItem(oneRow, query), (start, end) -> result.add(
                call(slice(inputs, start, end), Arrays.copyOfRange(exampleOf, start, end), start, query)));
        return result.batch;
    }

    /**
     * Differentiates generated rows: row {@code i} is example {@code exampleOf[i]} with input {@code inputName}
     * replaced by what {@code writer} writes. The other inputs are copied from the example.
     *
     * @param examples  every model input, batch first, one row per example
     * @param inputName the input whose rows {@code writer} generates
     */
    public void stream(String task, Map<String, Tensor> examples, String inputName, int[] exampleOf,
            GradientQuery query, RowWriter writer, BatchSink sink) {
        stream(task, examples, inputName, exampleOf, 1, query, writer, sink);
    }

    /**
     * As {@link #stream(String, Map, String, int[], GradientQuery, RowWriter, BatchSink)}, with rows in groups of
     * {@code group} consecutive rows that always share a batch (for rule sets that read several rows together,
     * such as DeepLift's input and baseline pairs).
     *
     * @throws IllegalArgumentException when the number of rows is not a multiple of {@code group}
     */
    public void stream(String task, Map<String, Tensor> examples, String inputName, int[] exampleOf, int group,
            GradientQuery query, RowWriter writer, BatchSink sink) {
        if (group < 1 || exampleOf.length % group != 0) {
            throw new IllegalArgumentException(exampleOf.length + " rows do not form groups of " + group);
        }
        if (!examples.containsKey(inputName)) {
            throw new IllegalArgumentException("input '" + inputName + "' is not among " + examples.keySet());
        }
        checkExamples(exampleOf);
        if (exampleOf.length == 0) {
            return;
        }
        Map<String, Tensor> first = new LinkedHashMap<>();
        examples.forEach((name, t) -> first.put(name, t.rows(exampleOf[0], exampleOf[0] + 1)));
        learnOutputShape(first);
        Map<Integer, Buffers> buffers = new HashMap<>();
        Batcher groups = group == 1 ? batcher : batcher.withMaxBatchSize(Math.max(1, batcher.maxBatchSize() / group));
        groups.forEach(task, exampleOf.length / group, group * bytesPerItem(first, query), (from, to) -> {
            int start = from * group;
            int end = to * group;
            int[] slice = Arrays.copyOfRange(exampleOf, start, end);
            Buffers b = buffers.computeIfAbsent(end - start, n -> new Buffers(examples, n));
            b.fillOthers(examples, inputName, slice);
            writer.write(start, end, b.tensors.get(inputName));
            sink.accept(call(b.tensors, slice, start, query));
        });
    }

    /** How many engine calls this runner made. */
    public int engineCalls() {
        return engineCalls;
    }

    /** How many rows this runner sent through the engine. */
    public long rowsEvaluated() {
        return rowsEvaluated;
    }

    /**
     * What a query differentiates, for the details: the target output, or the input of the Softmax or LogSoftmax
     * that produces it (its logits) unless the query goes through it.
     */
    public String differentiated(GradientQuery query) {
        String output = target.output();
        String softmax = model.graph().flatMap(g -> g.producer(output)).map(GraphNode::opType)
                .filter(op -> op.equals("Softmax") || op.equals("LogSoftmax")).orElse(null);
        if (softmax == null) {
            return "output '" + output + "'";
        }
        return query.differentiateThroughSoftmax() ? "output '" + output + "', through its " + softmax
                : "the logits of output '" + output + "': the input of its " + softmax + " ("
                        + GradientQuery.THROUGH_SOFTMAX + "=false)";
    }

    /** The target this runner seeds. */
    public ResolvedTarget target() {
        return target;
    }

    private GradientBatch call(Map<String, Tensor> inputs, int[] slice, int start, GradientQuery query) {
        int n = slice.length;
        Tensor seed = target.seed(batchShape(n, outputRowShape), slice);
        GradientResult r = engine.vjp(new GradientRequest(inputs, target.output(), seed, query.wrt(),
                query.activations(), ruleSet(query), query.differentiateThroughSoftmax()));
        engineCalls++;
        rowsEvaluated += n;
        Tensor output = r.outputs().get(target.output());
        checkReturned(output, target.output(), "output", r.outputs().keySet(), n);
        Tensor seeded = r.outputs().getOrDefault(GradientResult.SEEDED_OUTPUT, output);
        checkReturned(seeded, GradientResult.SEEDED_OUTPUT, "output", r.outputs().keySet(), n);
        for (String w : query.wrt()) {
            checkReturned(r.gradients().get(w), w, "gradient", r.gradients().keySet(), n);
        }
        for (String a : query.activations()) {
            checkReturned(r.activations().get(a), a, "activation", r.activations().keySet(), n);
        }
        return new GradientBatch(start, slice, r.gradients(), r.activations(), output, target.scores(seeded, slice));
    }

    private static void checkReturned(Tensor t, String name, String kind, Set<String> returned, int rows) {
        if (t == null) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "the gradient engine returned no " + kind + " '" + name
                    + "' (it returned " + new TreeSet<>(returned) + ")");
        }
        if (t.rank() == 0 || t.dim(0) != rows) {
            boolean layer = !kind.equals("output");
            throw new XaiException(layer ? ErrorCode.UNKNOWN_LAYER : ErrorCode.MODEL_EXECUTION, "the gradient engine"
                    + " returned " + kind + " '" + name + "' of shape " + Arrays.toString(t.shape()) + " for a batch"
                    + " of " + rows + ": its first axis is not the batch" + (layer ? "; layer methods need a tensor"
                    + " whose first axis is (choose one with --layer, see 'xai4j inspect')" : ""));
        }
    }

    private void checkExamples(int[] exampleOf) {
        for (int e : exampleOf) {
            if (e < 0 || e >= target.examples()) {
                throw new IllegalArgumentException("row of example " + e + ", but the target covers "
                        + target.examples() + " examples");
            }
        }
    }

    /** Learns the output's row shape from the signature, or from one forward pass on {@code oneRow}. */
    private void learnOutputShape(Map<String, Tensor> oneRow) {
        if (outputRowShape != null) {
            return;
        }
        TensorSpec spec = model.signature().output(target.output());
        List<Dim> dims = spec.shape();
        if (!dims.isEmpty() && dims.subList(1, dims.size()).stream().allMatch(Dim::isFixed)) {
            outputRowShape = dims.subList(1, dims.size()).stream().mapToInt(d -> (int) d.size()).toArray();
            return;
        }
        Map<String, Tensor> modelInputs = new LinkedHashMap<>(oneRow);
        modelInputs.keySet().retainAll(model.signature().inputNames());
        Tensor out = model.forward(modelInputs, Set.of(target.output())).get(target.output());
        if (out == null || out.rank() == 0 || out.dim(0) != 1) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "the model returned "
                    + (out == null ? "no tensor" : "shape " + Arrays.toString(out.shape())) + " for output '"
                    + target.output() + "' on a batch of 1: its first axis is not the batch");
        }
        outputRowShape = Arrays.copyOfRange(out.shape(), 1, out.rank());
    }

    /** The inputs, gradients and output of one row, plus what the engine keeps per row ({@code oneRow}: a batch of one). */
    private long bytesPerItem(Map<String, Tensor> oneRow, GradientQuery query) {
        long inputElements = 0;
        for (Tensor t : oneRow.values()) {
            inputElements += t.rowSize();
        }
        long engineBytes = engine.bytesPerRow(new GradientRequest(oneRow, target.output(),
                Tensor.zeros(batchShape(1, outputRowShape)), query.wrt(), query.activations(), ruleSet(query),
                query.differentiateThroughSoftmax()));
        return (long) Float.BYTES * (inputElements * (1 + query.wrt().size()) + Tensor.sizeOf(outputRowShape))
                + engineBytes;
    }

    private static Map<String, Tensor> slice(Map<String, Tensor> inputs, int start, int end) {
        Map<String, Tensor> slice = new LinkedHashMap<>();
        inputs.forEach((name, t) -> slice.put(name, start == 0 && end == t.dim(0) ? t : t.rows(start, end)));
        return slice;
    }

    static int[] batchShape(int n, int[] rowShape) {
        int[] s = new int[rowShape.length + 1];
        s[0] = n;
        System.arraycopy(rowShape, 0, s, 1, rowShape.length);
        return s;
    }

    /** Compact input buffers for one batch size; other inputs are only recopied where the example changed. */
    private static final class Buffers {
        final Map<String, Tensor> tensors = new LinkedHashMap<>();
        final int[] holds;

        Buffers(Map<String, Tensor> examples, int n) {
            examples.forEach((name, t) -> tensors.put(name, Tensor.zeros(batchShape(n, t.row(0).shape()))));
            holds = new int[n];
            Arrays.fill(holds, -1);
        }

        void fillOthers(Map<String, Tensor> examples, String inputName, int[] slice) {
            for (int r = 0; r < slice.length; r++) {
                if (holds[r] == slice[r]) {
                    continue;
                }
                for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                    if (!e.getKey().equals(inputName)) {
                        e.getValue().row(r).copyFrom(examples.get(e.getKey()).row(slice[r]));
                    }
                }
                holds[r] = slice[r];
            }
        }
    }

    /** The whole result of {@link #run}, assembled from its batches. */
    private static final class Result {
        final int rows;
        final int[] exampleOf;
        GradientBatch batch;

        Result(int rows, int[] exampleOf) {
            this.rows = rows;
            this.exampleOf = exampleOf;
        }

        void add(GradientBatch part) {
            if (part.start() == 0 && part.size() == rows) {
                batch = part;
                return;
            }
            if (batch == null) {
                batch = new GradientBatch(0, exampleOf, allocate(part.gradients()), allocate(part.activations()),
                        Tensor.zeros(batchShape(rows, part.output().row(0).shape())), new float[rows]);
            }
            copy(part.gradients(), batch.gradients(), part.start(), part.size());
            copy(part.activations(), batch.activations(), part.start(), part.size());
            batch.output().rows(part.start(), part.start() + part.size()).copyFrom(part.output());
            System.arraycopy(part.scores(), 0, batch.scores(), part.start(), part.size());
        }

        private Map<String, Tensor> allocate(Map<String, Tensor> parts) {
            Map<String, Tensor> all = new HashMap<>();
            parts.forEach((name, t) -> all.put(name, Tensor.zeros(batchShape(rows, t.row(0).shape()))));
            return all;
        }

        private static void copy(Map<String, Tensor> from, Map<String, Tensor> to, int start, int size) {
            from.forEach((name, t) -> {
                Tensor dest = to.get(name);
                if (dest == null || !Arrays.equals(dest.row(0).shape(), t.row(0).shape())) {
                    throw new XaiException(ErrorCode.MODEL_EXECUTION, "the gradient engine returned '" + name
                            + "' with row shape " + Arrays.toString(t.row(0).shape()) + " in one batch and "
                            + (dest == null ? "not at all" : Arrays.toString(dest.row(0).shape())) + " in another");
                }
                dest.rows(start, start + size).copyFrom(t);
            });
        }
    }

    /** The query's rule set, or the context's when the query names none. */
    private String ruleSet(GradientQuery query) {
        return query.ruleSet() == null ? ruleSet : query.ruleSet();
    }
}
