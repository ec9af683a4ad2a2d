package io.xai4j.methods.gradient;

import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model with closed-form gradients, acting as its own gradient engine: {@code logits = scale * g(x)} per row,
 * where {@code g} is given by a subclass and {@code scale} is an optional second input {@code s} of shape
 * {@code [N,1]} (1 without it). The output {@code y} is the logits, or their softmax when {@code softmax} is
 * set; then, like the ONNX engine, gradients are of the logits unless the request differentiates through the
 * softmax, and the logits are returned as the seeded output. Rows are computed independently, so batching
 * cannot change results. Counts engine batches and forward calls.
 */
abstract class AnalyticModel implements Model, GradientEngine {
    final int[] exampleShape;
    final int classes;
    boolean softmax;
    boolean withScale;
    boolean gradients = true;
    final List<Integer> engineBatches = new ArrayList<>();
    int forwardCalls;

    AnalyticModel(int classes, int... exampleShape) {
        this.classes = classes;
        this.exampleShape = exampleShape.clone();
    }

    /** {@code g(x)} for one example starting at {@code x[offset]}. */
    abstract void g(float[] x, int offset, double[] out);

    /** {@code grad += sum_k seed[k] dg_k/dx} for one example. */
    abstract void gradient(float[] x, int offset, double[] seed, double[] grad);

    int exampleSize() {
        return Tensor.sizeOf(exampleShape);
    }

    @Override
    public ModelSignature signature() {
        List<Dim> in = new ArrayList<>(List.of(Dim.symbolic("N")));
        Arrays.stream(exampleShape).forEach(d -> in.add(Dim.fixed(d)));
        List<TensorSpec> inputs = new ArrayList<>(List.of(new TensorSpec("x", DataType.FLOAT32, in)));
        if (withScale) {
            inputs.add(new TensorSpec("s", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(1))));
        }
        return new ModelSignature(inputs, List.of(new TensorSpec("y", DataType.FLOAT32,
                List.of(Dim.symbolic("N"), Dim.fixed(classes)))));
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        forwardCalls++;
        return Map.of("y", evaluate(inputs, null, false, null).get("y"));
    }

    @Override
    public GradientResult vjp(GradientRequest request) {
        if (!request.output().equals("y") || !request.ruleSet().equals(GradientRequest.EXACT)
                || !request.wrt().equals(Set.of("x")) || !request.activations().isEmpty()) {
            throw new IllegalArgumentException("unsupported request " + request);
        }
        int n = request.inputs().get("x").dim(0);
        if (!Arrays.equals(request.seed().shape(), new int[] {n, classes})) {
            throw new IllegalArgumentException("seed shape " + Arrays.toString(request.seed().shape()));
        }
        engineBatches.add(n);
        Tensor grad = Tensor.zeros(request.inputs().get("x").shape());
        Map<String, Tensor> outputs = evaluate(request.inputs(), request.seed(), request.differentiateThroughSoftmax(),
                grad);
        return new GradientResult(outputs, Map.of(), Map.of("x", grad));
    }

    private Map<String, Tensor> evaluate(Map<String, Tensor> inputs, Tensor seed, boolean through, Tensor grad) {
        Tensor x = inputs.get("x");
        int n = x.dim(0);
        if (!Arrays.equals(Arrays.copyOfRange(x.shape(), 1, x.rank()), exampleShape)) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(x.shape()));
        }
        Tensor y = Tensor.zeros(n, classes);
        Tensor logits = Tensor.zeros(n, classes);
        double[] z = new double[classes];
        double[] p = new double[classes];
        double[] s = new double[classes];
        double[] gx = new double[exampleSize()];
        for (int r = 0; r < n; r++) {
            double scale = withScale ? inputs.get("s").at(r, 0) : 1;
            g(x.array(), x.offset() + r * exampleSize(), z);
            for (int k = 0; k < classes; k++) {
                z[k] *= scale;
                logits.set(r * classes + k, (float) z[k]);
            }
            softmax(z, p);
            for (int k = 0; k < classes; k++) {
                y.set(r * classes + k, (float) (softmax ? p[k] : z[k]));
            }
            if (seed == null) {
                continue;
            }
            double dot = 0;
            for (int k = 0; k < classes; k++) {
                s[k] = seed.at(r, k);
                dot += s[k] * p[k];
            }
            for (int k = 0; k < classes; k++) {
                s[k] = (softmax && through ? p[k] * (s[k] - dot) : s[k]) * scale;
            }
            Arrays.fill(gx, 0);
            gradient(x.array(), x.offset() + r * exampleSize(), s, gx);
            for (int j = 0; j < gx.length; j++) {
                grad.set(r * gx.length + j, (float) gx[j]);
            }
        }
        Map<String, Tensor> out = new HashMap<>(Map.of("y", y));
        if (softmax && !through && seed != null) {
            out.put(GradientResult.SEEDED_OUTPUT, logits);
        }
        return out;
    }

    private static void softmax(double[] z, double[] p) {
        double max = Arrays.stream(z).max().orElse(0);
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return gradients ? Set.of(ModelCapability.DYNAMIC_BATCH, ModelCapability.GRADIENTS)
                : Set.of(ModelCapability.DYNAMIC_BATCH);
    }

    @Override
    public Optional<GradientEngine> gradients() {
        return gradients ? Optional.of(this) : Optional.empty();
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("analytic", "0".repeat(64), "java", "cpu");
    }

    @Override
    public void close() {
    }

    /** {@code g_k(x) = sum_j w[k][j] x_j^2 + v[k][j] x_j + c[k]}. */
    static final class Quadratic extends AnalyticModel {
        final double[][] w;
        final double[][] v;
        final double[] c;

        Quadratic(double[][] w, double[][] v, double[] c, int... exampleShape) {
            super(w.length, exampleShape);
            this.w = w;
            this.v = v;
            this.c = c;
        }

        /** Random coefficients in [-1, 1). */
        static Quadratic random(long seed, int classes, int... exampleShape) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            int size = Tensor.sizeOf(exampleShape);
            double[][] w = new double[classes][size];
            double[][] v = new double[classes][size];
            double[] c = new double[classes];
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < size; j++) {
                    w[k][j] = random.nextDouble(-1, 1);
                    v[k][j] = random.nextDouble(-1, 1);
                }
                c[k] = random.nextDouble(-1, 1);
            }
            return new Quadratic(w, v, c, exampleShape);
        }

        /** A linear model: no square terms. */
        static Quadratic linear(long seed, int classes, int... exampleShape) {
            Quadratic q = random(seed, classes, exampleShape);
            for (double[] row : q.w) {
                Arrays.fill(row, 0);
            }
            return q;
        }

        @Override
        void g(float[] x, int offset, double[] out) {
            for (int k = 0; k < classes; k++) {
                double sum = c[k];
                for (int j = 0; j < w[k].length; j++) {
                    double xj = x[offset + j];
                    sum += w[k][j] * xj * xj + v[k][j] * xj;
                }
                out[k] = sum;
            }
        }

        @Override
        void gradient(float[] x, int offset, double[] seed, double[] grad) {
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < grad.length; j++) {
                    grad[j] += seed[k] * (2 * w[k][j] * x[offset + j] + v[k][j]);
                }
            }
        }
    }

    /** The Integrated Gradients paper's example: {@code f(x1, x2) = relu(relu(x1) - 1 - relu(x2))}. */
    static final class IgToy extends AnalyticModel {
        IgToy() {
            super(1, 2);
        }

        @Override
        void g(float[] x, int offset, double[] out) {
            out[0] = Math.max(0, Math.max(0, x[offset]) - 1 - Math.max(0, x[offset + 1]));
        }

        @Override
        void gradient(float[] x, int offset, double[] seed, double[] grad) {
            double inner = Math.max(0, x[offset]) - 1 - Math.max(0, x[offset + 1]);
            if (inner > 0) {
                grad[0] += seed[0] * (x[offset] > 0 ? 1 : 0);
                grad[1] -= seed[0] * (x[offset + 1] > 0 ? 1 : 0);
            }
        }
    }
}
