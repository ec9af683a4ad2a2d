package io.xai4j.batch;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.Dim;
import io.xai4j.spi.Model;
import io.xai4j.spi.TensorSpec;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scores many perturbed copies of one example with few model calls; shared by all perturbation methods.
 *
 * <p>A method numbers its perturbations {@code 0..n-1} and supplies a {@link Filler} that writes perturbation
 * {@code i} into a row of a batch tensor. The evaluator splits the {@code n} perturbations into batches with
 * the {@link Batcher} (progress goes to the batcher's listener), replicates the model's other inputs for each
 * batch, runs {@link Model#forward} and returns the target score of every perturbation. Buffers are
 * allocated once per batch size and reused, so a run allocates at most two of each. The example itself is
 * never modified.
 *
 * <p>Not thread-safe: create one evaluator per example (they are cheap).
 */
public final class PerturbationEvaluator {

    /** Writes perturbed input {@code index} into {@code row}. */
    @FunctionalInterface
    public interface Filler {
        /**
         * @param index the perturbation number, in {@code [0, n)}
         * @param row   a view shaped like one example (no batch dimension); on entry it holds the unperturbed
         *              example, so a filler only needs to overwrite what it perturbs
         */
        void fill(int index, Tensor row);
    }

    private final Model model;
    private final Batcher batcher;
    private final String inputName;
    private final Tensor exampleRow;
    private final Map<String, Tensor> otherRows;
    private final ResolvedTarget target;
    private final Map<Integer, Map<String, Tensor>> buffers = new HashMap<>();
    private long outputRowElements = -1;
    private Tensor originalOutput;
    private long evaluations;
    private int forwardCalls;

    /**
     * @param model     the model
     * @param batcher   the batching policy and progress listener
     * @param example   every model input for one example, each a batch of one
     * @param inputName the input to perturb
     * @param target    the target for this example ({@link ResolvedTarget#forExample(int)})
     */
    public PerturbationEvaluator(Model model, Batcher batcher, Map<String, Tensor> example, String inputName,
            ResolvedTarget target) {
        this.model = model;
        this.batcher = batcher;
        this.inputName = inputName;
        this.target = target;
        if (!example.containsKey(inputName)) {
            throw new IllegalArgumentException("input '" + inputName + "' is not among " + example.keySet());
        }
        if (target.examples() != 1) {
            throw new IllegalArgumentException("the target must be for one example, got " + target.examples());
        }
        Map<String, Tensor> others = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : example.entrySet()) {
            Tensor t = e.getValue();
            if (t.rank() == 0 || t.dim(0) != 1) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' must be a batch of one, got shape "
                        + Arrays.toString(t.shape()));
            }
            if (!e.getKey().equals(inputName)) {
                others.put(e.getKey(), t.row(0));
            }
        }
        this.exampleRow = example.get(inputName).row(0);
        this.otherRows = others;
    }

    /** An evaluator for example {@code example} of a request: its inputs and its target. */
    public static PerturbationEvaluator forExample(AttributionContext context, AttributionRequest request, int example) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        request.inputs().forEach((name, t) -> inputs.put(name, t.rows(example, example + 1)));
        return new PerturbationEvaluator(context.model(), context.batcher(), inputs, request.inputName(),
                request.target().forExample(example));
    }

    /**
     * Scores {@code count} perturbations in batches.
     *
     * @param task   the task name reported to the progress listener, e.g. {@code occlusion}
     * @param count  the number of perturbations
     * @param filler writes perturbation {@code i} into a batch row
     * @return the target score of each perturbation, by index
     */
    public float[] evaluate(String task, int count, Filler filler) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        float[] scores = new float[count];
        batcher.forEach(task, count, bytesPerItem(), (start, end) -> {
            Tensor out = run(end - start, start, filler);
            for (int r = 0; r < out.dim(0); r++) {
                scores[start + r] = target.score(out.row(r), 0);
            }
        });
        return scores;
    }

    /** The target score of the unperturbed example (one model call, whose output {@link #originalOutput} keeps). */
    public float scoreOriginal() {
        originalOutput = run(1, 0, (index, row) -> { }).row(0).copy();
        return target.score(originalOutput, 0);
    }

    /** The model output (the target's) of the unperturbed example, once {@link #scoreOriginal} has run. */
    public Optional<Tensor> originalOutput() {
        return Optional.ofNullable(originalOutput);
    }

    /** The unperturbed example (a view of the request's input; do not modify). */
    public Tensor example() {
        return exampleRow;
    }

    /** How many perturbed or original inputs this evaluator has sent through the model. */
    public long evaluations() {
        return evaluations;
    }

    /** How many {@link Model#forward} calls this evaluator has made. */
    public int forwardCalls() {
        return forwardCalls;
    }

    /** The estimated memory of one batch item: its input rows plus its output row, in bytes. */
    long bytesPerItem() {
        long elements = exampleRow.size();
        for (Tensor t : otherRows.values()) {
            elements += t.size();
        }
        long out = outputRowElements >= 0 ? outputRowElements : declaredOutputRowElements();
        return Float.BYTES * (elements + out);
    }

    private long declaredOutputRowElements() {
        TensorSpec spec = model.signature().outputs().stream().filter(s -> s.name().equals(target.output()))
                .findFirst().orElse(null);
        if (spec == null || spec.rank() == 0) {
            return exampleRow.size();
        }
        long n = 1;
        for (Dim d : spec.shape().subList(1, spec.rank())) {
            if (!d.isFixed()) {
                return exampleRow.size();
            }
            n *= d.size();
        }
        return n;
    }

    /** The target's output for perturbations {@code [firstIndex, firstIndex + size)}, in one model call. */
    private Tensor run(int size, int firstIndex, Filler filler) {
        Map<String, Tensor> inputs = buffersFor(size);
        Tensor batch = inputs.get(inputName);
        for (int r = 0; r < size; r++) {
            Tensor row = batch.row(r);
            row.copyFrom(exampleRow);
            filler.fill(firstIndex + r, row);
        }
        Map<String, Tensor> outputs = model.forward(inputs, Set.of(target.output()));
        forwardCalls++;
        evaluations += size;
        Tensor out = outputs.get(target.output());
        if (out == null || out.rank() == 0 || out.dim(0) != size) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "the model returned "
                    + (out == null ? "no tensor" : "shape " + Arrays.toString(out.shape())) + " for output '"
                    + target.output() + "' on a batch of " + size + "; expected a batch of " + size);
        }
        outputRowElements = out.rowSize();
        return out;
    }

    /** Compact input tensors for a batch of {@code size}: the perturbed input and the replicated others. */
    private Map<String, Tensor> buffersFor(int size) {
        return buffers.computeIfAbsent(size, n -> {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            inputs.put(inputName, Tensor.zeros(batchShape(n, exampleRow)));
            for (Map.Entry<String, Tensor> e : otherRows.entrySet()) {
                Tensor replicated = Tensor.zeros(batchShape(n, e.getValue()));
                for (int r = 0; r < n; r++) {
                    replicated.row(r).copyFrom(e.getValue());
                }
                inputs.put(e.getKey(), replicated);
            }
            return inputs;
        });
    }

    private static int[] batchShape(int n, Tensor row) {
        int[] s = new int[row.rank() + 1];
        s[0] = n;
        System.arraycopy(row.shape(), 0, s, 1, row.rank());
        return s;
    }
}
