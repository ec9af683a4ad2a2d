package io.xai4j.testing.models;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pure-Java model with closed-form gradients that is its own {@link GradientEngine}, for testing attribution
 * methods without a backend:
 *
 * <pre>
 * x    [N, shape...]                 input {@value #INPUT}
 * act  = c0 + c1 x + c2 x^2          layer {@value #LAYER}, element by element (identity by default)
 * y    = s * logits(act)   [N, K]    output {@value #OUTPUT}; a subclass gives logits(act)
 * </pre>
 *
 * <p>Options, set before the model is used: {@link #layerFunction} changes the layer; {@link #tokenLayer} lays the
 * layer out as vision-transformer tokens {@code [N, 1 + H*W, C]} with a class token of value 7 first (examples
 * {@code [C,H,W]}); {@link #scaleInput} adds the input {@value #SCALE} {@code [N,1]} (1 without it);
 * {@link #softmaxOutput} makes {@code y} the softmax of the scaled logits, and then, as the ONNX engine does,
 * gradients are of the logits (returned as {@link GradientResult#SEEDED_OUTPUT}) unless the request
 * differentiates through the softmax; {@link #gradientEngine} {@code false} removes the engine.
 *
 * <p>The engine differentiates with respect to {@code x} and {@code act}, returns {@code act} as an activation,
 * and uses a value of {@code act} given among the inputs in place of the computed one (as Captum's layer methods
 * need). Every backward rule set gives the true gradients: the model has no rectifier, pooling or linear op
 * for a rule set to change, so methods that select one ({@code guided-backprop}, ...) run here too. {@link #tail} cuts the model after {@code act}. Rows are computed independently in double precision, so
 * batching cannot change results. Every call is recorded ({@link #forwardBatches}, {@link #engineBatches},
 * {@link #tailBatches}). Thread-safe once configured.
 */
public abstract class AnalyticModel implements Model, GradientEngine {
    public static final String INPUT = "x";
    public static final String SCALE = "s";
    public static final String LAYER = "act";
    public static final String OUTPUT = "y";

    private final int[] exampleShape;
    private final int classes;
    private ElementwiseLayer layer;
    private boolean softmax;
    private boolean withScale;
    private boolean withGradients = true;
    private final List<Integer> forwardBatches = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> engineBatches = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> tailBatches = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param classes      the number of logits K
     * @param exampleShape the shape of one example of {@code x}
     */
    protected AnalyticModel(int classes, int... exampleShape) {
        this.classes = classes;
        this.exampleShape = exampleShape.clone();
        this.layer = new ElementwiseLayer(this.exampleShape, 0, 1, 0, false);
    }

    /** Writes the K logits of one example into {@code out}, from its layer values {@code a} (example order). */
    protected abstract void logits(double[] a, double[] out);

    /** Adds {@code sum_k seed[k] d logits_k / d a} to {@code grad}. */
    protected abstract void backward(double[] a, double[] seed, double[] grad);

    /** Makes the layer {@code act = c0 + c1 x + c2 x^2}. */
    public AnalyticModel layerFunction(double c0, double c1, double c2) {
        layer = layer.withFunction(c0, c1, c2);
        return this;
    }

    /** Lays the layer out as tokens {@code [N, 1 + H*W, C]}, class token first. */
    public AnalyticModel tokenLayer(boolean tokens) {
        layer = layer.withTokens(tokens);
        return this;
    }

    /** Adds the input {@value #SCALE} {@code [N,1]} that multiplies the logits. */
    public AnalyticModel scaleInput(boolean scale) {
        withScale = scale;
        return this;
    }

    /** Makes {@code y} the softmax of the logits. */
    public AnalyticModel softmaxOutput(boolean applySoftmax) {
        softmax = applySoftmax;
        return this;
    }

    /** With {@code false}, the model has no gradient engine (as a backend without autodiff). */
    public AnalyticModel gradientEngine(boolean available) {
        withGradients = available;
        return this;
    }

    /** Whether {@code y} is the softmax of the logits. */
    protected final boolean hasSoftmax() {
        return softmax;
    }

    /** The layer values of example {@code n} of {@code x}, in the example's element order. */
    public double[] layerValues(Tensor x, int n) {
        return layer.values(x, n);
    }

    /** The batch size of each {@link #forward} call so far. */
    public List<Integer> forwardBatches() {
        return List.copyOf(forwardBatches);
    }

    /** The batch size of each {@link #vjp} call so far. */
    public List<Integer> engineBatches() {
        return List.copyOf(engineBatches);
    }

    /** The batch size of each forward call of a {@link #tail} model so far. */
    public List<Integer> tailBatches() {
        return List.copyOf(tailBatches);
    }

    /** Forgets the calls recorded so far. */
    public void clearCalls() {
        forwardBatches.clear();
        engineBatches.clear();
        tailBatches.clear();
    }

    @Override
    public ModelSignature signature() {
        List<Dim> in = new ArrayList<>(List.of(Dim.symbolic("N")));
        Arrays.stream(exampleShape).forEach(d -> in.add(Dim.fixed(d)));
        List<TensorSpec> inputs = new ArrayList<>(List.of(new TensorSpec(INPUT, DataType.FLOAT32, in)));
        if (withScale) {
            inputs.add(new TensorSpec(SCALE, DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(1))));
        }
        return new ModelSignature(inputs, List.of(outputSpec()));
    }

    TensorSpec outputSpec() {
        return new TensorSpec(OUTPUT, DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(classes)));
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        Tensor x = input(inputs);
        forwardBatches.add(x.dim(0));
        Tensor act = layer.tensor(x);
        Map<String, Tensor> out = new HashMap<>();
        for (String name : outputs) {
            switch (name) {
                case LAYER -> out.put(LAYER, act);
                case OUTPUT -> out.put(OUTPUT, evaluate(act, scales(inputs, x.dim(0)), null, false).output());
                default -> throw new XaiException(ErrorCode.UNKNOWN_LAYER, "unknown tensor '" + name
                        + "'; this model has " + List.of(LAYER, OUTPUT));
            }
        }
        return out;
    }

    @Override
    public GradientResult vjp(GradientRequest request) {
        if (!request.output().equals(OUTPUT) || !Set.of(INPUT, LAYER).containsAll(request.wrt())
                || !Set.of(LAYER).containsAll(request.activations())) {
            throw new IllegalArgumentException("unsupported request: output " + request.output() + ", wrt " + request.wrt() + ", activations " + request.activations());
        }
        Map<String, Tensor> inputs = request.inputs();
        Tensor x = input(inputs);
        int n = x.dim(0);
        boolean fed = inputs.containsKey(LAYER);
        Tensor act = fed ? inputs.get(LAYER) : layer.tensor(x);
        if (!Arrays.equals(act.shape(), layer.shape(n))
                || !Arrays.equals(request.seed().shape(), new int[] {n, classes})) {
            throw new IllegalArgumentException("layer shape " + Arrays.toString(act.shape()) + ", seed shape "
                    + Arrays.toString(request.seed().shape()) + " for a batch of " + n);
        }
        engineBatches.add(n);
        Evaluation e = evaluate(act, scales(inputs, n), request.seed(), request.differentiateThroughSoftmax());
        Map<String, Tensor> gradients = new HashMap<>();
        if (request.wrt().contains(LAYER)) {
            gradients.put(LAYER, e.layerGradient());
        }
        if (request.wrt().contains(INPUT)) {
            gradients.put(INPUT, fed ? Tensor.zeros(x.shape()) : inputGradient(x, e.layerGradient()));
        }
        Map<String, Tensor> outputs = new HashMap<>(Map.of(OUTPUT, e.output()));
        if (softmax && !request.differentiateThroughSoftmax()) {
            outputs.put(GradientResult.SEEDED_OUTPUT, e.logits());
        }
        return new GradientResult(outputs, request.activations().isEmpty() ? Map.of() : Map.of(LAYER, act), gradients);
    }

    private Tensor inputGradient(Tensor x, Tensor layerGradient) {
        Tensor grad = Tensor.zeros(x.shape());
        for (int r = 0; r < x.dim(0); r++) {
            double[] g = layer.grid(layerGradient, r);
            Tensor row = x.row(r);
            for (int j = 0; j < g.length; j++) {
                grad.set(r * g.length + j, (float) (g[j] * layer.slope(row.get(j))));
            }
        }
        return grad;
    }

    /** Output, logits and (with a seed) the seeded gradient with respect to the layer, of a batch. */
    private record Evaluation(Tensor output, Tensor logits, Tensor layerGradient) {
    }

    private Evaluation evaluate(Tensor act, double[] scales, Tensor seed, boolean throughSoftmax) {
        int n = act.dim(0);
        Evaluation e = new Evaluation(Tensor.zeros(n, classes), Tensor.zeros(n, classes),
                seed == null ? null : Tensor.zeros(act.shape()));
        double[] z = new double[classes];
        double[] p = new double[classes];
        double[] s = new double[classes];
        double[] grad = new double[layer.size()];
        for (int r = 0; r < n; r++) {
            double[] a = layer.grid(act, r);
            logits(a, z);
            for (int k = 0; k < classes; k++) {
                z[k] *= scales[r];
                e.logits().set(r * classes + k, (float) z[k]);
            }
            softmax(z, p);
            for (int k = 0; k < classes; k++) {
                e.output().set(r * classes + k, (float) (softmax ? p[k] : z[k]));
            }
            if (seed != null) {
                double dot = 0;
                for (int k = 0; k < classes; k++) {
                    s[k] = seed.at(r, k);
                    dot += s[k] * p[k];
                }
                for (int k = 0; k < classes; k++) {
                    s[k] = (softmax && throughSoftmax ? p[k] * (s[k] - dot) : s[k]) * scales[r];
                }
                Arrays.fill(grad, 0);
                backward(a, s, grad);
                layer.put(e.layerGradient(), r, grad);
            }
        }
        return e;
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

    private Tensor input(Map<String, Tensor> inputs) {
        Tensor x = inputs.get(INPUT);
        if (x == null || x.rank() != exampleShape.length + 1
                || !Arrays.equals(Arrays.copyOfRange(x.shape(), 1, x.rank()), exampleShape)) {
            throw new IllegalArgumentException("input '" + INPUT + "' must be [N, " + Arrays.toString(exampleShape)
                    .substring(1) + ", got " + (x == null ? "none" : Arrays.toString(x.shape())));
        }
        return x;
    }

    private double[] scales(Map<String, Tensor> inputs, int n) {
        double[] scales = new double[n];
        Arrays.fill(scales, 1);
        if (withScale) {
            Tensor s = inputs.get(SCALE);
            if (s == null || !Arrays.equals(s.shape(), new int[] {n, 1})) {
                throw new IllegalArgumentException("input '" + SCALE + "' must be [" + n + ", 1], got "
                        + (s == null ? "none" : Arrays.toString(s.shape())));
            }
            Arrays.setAll(scales, r -> s.at(r, 0));
        }
        return scales;
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return withGradients
                ? Set.of(ModelCapability.DYNAMIC_BATCH, ModelCapability.INTERMEDIATES, ModelCapability.GRADIENTS)
                : Set.of(ModelCapability.DYNAMIC_BATCH, ModelCapability.INTERMEDIATES);
    }

    @Override
    public Optional<GradientEngine> gradients() {
        return withGradients ? Optional.of(this) : Optional.empty();
    }

    @Override
    public List<LayerInfo> layers(Map<String, int[]> inputShapes) {
        return List.of(new LayerInfo(LAYER, "Add", "layer", Arrays.stream(layer.shape(1)).asLongStream().boxed()
                .toList()), new LayerInfo(OUTPUT, "Gemm", "head", List.of(1L, (long) classes)));
    }

    /**
     * The head after {@value #LAYER}: input {@value #LAYER}, output {@value #OUTPUT}.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_LAYER} for another tensor, {@link ErrorCode#UNSUPPORTED_OP}
     *                      when the head also reads the input {@value #SCALE}
     */
    @Override
    public Model tail(String tensor) {
        if (!tensor.equals(LAYER)) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "cannot cut at '" + tensor + "'; only at '" + LAYER + "'");
        }
        if (withScale) {
            throw new XaiException(ErrorCode.UNSUPPORTED_OP, "the part after '" + LAYER + "' also reads input '"
                    + SCALE + "'");
        }
        return new HeadModel(this);
    }

    /** The layer's shape for a batch of {@code n}. */
    int[] layerShape(int n) {
        return layer.shape(n);
    }

    /** The output for given layer values, recorded as a tail call. */
    Tensor head(Tensor act) {
        tailBatches.add(act.dim(0));
        double[] ones = new double[act.dim(0)];
        Arrays.fill(ones, 1);
        return evaluate(act, ones, null, false).output();
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(getClass().getSimpleName(), "0".repeat(64), "java", "cpu");
    }

    @Override
    public void close() {
    }
}
