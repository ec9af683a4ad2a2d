package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.Elementwise;
import io.xai4j.family.gradient.GradientJob;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.gradient.Quadrature;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Integrated Gradients (Sundararajan et al. 2017, as Captum's {@code IntegratedGradients}):
 * {@code (x - b) * sum_k w_k grad(b + alpha_k (x - b))} with the points and weights of {@code method}
 * ({@link Quadrature}). All steps of all examples go through the engine in batches of at most
 * {@code internal-batch-size} rows (0: the context batcher's size).
 *
 * <p>The details report {@code convergenceDelta}, per example {@code sum(attribution) - (f(x) - f(b))}, where
 * {@code f} is the target score of the tensor that was differentiated: the model output when
 * {@code through-softmax} is true or the output has no trailing Softmax, otherwise the logits before the
 * Softmax (which the engine seeds by default). {@code f(x)} and {@code f(b)} come from two extra rows per
 * example (the input and the baseline themselves) in the same batched engine calls, read from
 * {@link io.xai4j.gradient.GradientBatch#scores()}, so the delta always refers to the function whose
 * gradient was integrated; the input's row also gives the model outputs at the input.
 */
public final class IntegratedGradients extends GradientMethod {
    static final String STEPS = "steps";
    static final String METHOD = "method";
    static final String INTERNAL_BATCH_SIZE = "internal-batch-size";
    private static final MethodDescriptor DESCRIPTOR = descriptor("integrated-gradients", "1.0",
            "Path integral of gradients from a baseline to the input, times the difference (input - baseline)",
            Set.of(Requirement.GRADIENTS, Requirement.BASELINE), List.of(
                    ParameterSpec.integer(STEPS, 50, 1, 100_000, "number of integration points"),
                    ParameterSpec.choice(METHOD, Quadrature.GAUSS_LEGENDRE, Quadrature.METHODS,
                            "integration rule (riemann_trapezoid needs steps >= 2)"),
                    baselineParameter("the path's starting point"),
                    ParameterSpec.integer(INTERNAL_BATCH_SIZE, 0, 0, Integer.MAX_VALUE,
                            "most rows per gradient call; 0 uses the batcher's size")));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void validate(Parameters parameters, int[] exampleShape) {
        if (parameters.getString(METHOD).equals(Quadrature.TRAPEZOID) && parameters.getInt(STEPS) < 2) {
            throw invalidParameter("method riemann_trapezoid needs steps >= 2, got steps=" + parameters.getInt(STEPS)
                    + "; raise steps or choose one of " + String.join(", ", Quadrature.METHODS));
        }
    }

    @Override
    protected int maxBatchSize(Parameters parameters) {
        return parameters.getInt(INTERNAL_BATCH_SIZE);
    }

    @Override
    protected void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
        Quadrature rule = Quadrature.of(job.parameters().getString(METHOD), job.parameters().getInt(STEPS));
        int steps = rule.size();
        boolean reportDelta = !job.isWrapped();
        int perRow = steps + (reportDelta ? 2 : 0);
        int rows = points.dim(0);
        Tensor[] differences = new Tensor[rows];
        for (int r = 0; r < rows; r++) {
            Tensor base = job.baseline(exampleOf[r]);
            differences[r] = Tensor.zeros(base.shape());
            Elementwise.difference(points.row(r), base, differences[r]);
        }
        float[] endpointScores = new float[rows * 2];
        job.stream("integrated-gradients", repeat(exampleOf, perRow), (start, end, batchRows) -> {
            for (int i = start; i < end; i++) {
                int r = i / perRow;
                int k = i % perRow;
                Tensor row = batchRows.row(i - start);
                if (k < steps) {
                    Elementwise.pointOnPath(job.baseline(exampleOf[r]), differences[r], (float) rule.alphas()[k], row);
                } else {
                    row.copyFrom(k == steps ? points.row(r) : job.baseline(exampleOf[r]));
                }
            }
        }, batch -> {
            Tensor gradient = batch.gradient(job.inputName());
            for (int i = 0; i < batch.size(); i++) {
                int r = (batch.start() + i) / perRow;
                int k = (batch.start() + i) % perRow;
                if (k < steps) {
                    Elementwise.addScaled(out.row(r), gradient.row(i), (float) rule.weights()[k]);
                } else {
                    endpointScores[2 * r + k - steps] = batch.scores()[i];
                    if (k == steps) {
                        job.keepOutput(batch, i);
                    }
                }
            }
        });
        for (int r = 0; r < rows; r++) {
            Elementwise.multiply(out.row(r), differences[r]);
        }
        if (reportDelta) {
            List<Double> deltas = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                deltas.add(Elementwise.sum(out.row(r)) - ((double) endpointScores[2 * r] - endpointScores[2 * r + 1]));
            }
            job.details().put("convergenceDelta", deltas);
            job.details().put(STEPS, steps);
            job.details().put(METHOD, job.parameters().getString(METHOD));
        }
    }
}
