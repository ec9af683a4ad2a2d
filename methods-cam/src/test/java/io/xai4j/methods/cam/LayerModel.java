package io.xai4j.methods.cam;

import io.xai4j.layer.GraphNode;
import io.xai4j.layer.GraphView;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A model with a closed-form layer and head, acting as its own gradient engine. Input {@code x [N,C,H,W]};
 * layer {@code act}: {@code A = 2x + 0.5}, either as {@code [N,C,H,W]} or, with {@code tokens}, as
 * {@code [N,1+H*W,C]} with a class token of value 7 first; output {@code y [N,K]}:
 * {@code y_k = sum_{c,p} V[k,c,p] A[c,p] + 0.5 U[k,c,p] A[c,p]^2 + b_k}, so {@code dy_k/dA = V + U A}.
 * The gap head ({@link #gapLinear}) has {@code U = 0} and {@code V[k,c,p] = W[k,c] / (H W)}: global average
 * pooling and a linear layer, described by a {@link GraphView} with the weights as constants.
 */
final class LayerModel implements Model, GradientEngine {
    static final String LAYER = "act";
    final int channels;
    final int height;
    final int width;
    final int classes;
    final double[][] v;
    final double[][] u;
    final double[] b;
    boolean tokens;
    boolean softmax;
    float[][] gapWeights;
    int forwardCalls;
    final List<Integer> tailBatches = new ArrayList<>();

    private LayerModel(int channels, int height, int width, int classes, double[][] v, double[][] u, double[] b) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.v = v;
        this.u = u;
        this.b = b;
    }

    static LayerModel random(long seed, int channels, int height, int width, int classes) {
        SplittableRandom r = new SplittableRandom(seed);
        int size = channels * height * width;
        double[][] v = new double[classes][size];
        double[][] u = new double[classes][size];
        double[] b = new double[classes];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < size; j++) {
                v[k][j] = r.nextDouble(-1, 1);
                u[k][j] = r.nextDouble(-0.5, 0.5);
            }
            b[k] = r.nextDouble(-1, 1);
        }
        return new LayerModel(channels, height, width, classes, v, u, b);
    }

    static LayerModel gapLinear(float[][] w, double[] b, int height, int width) {
        int channels = w[0].length;
        int cells = height * width;
        double[][] v = new double[w.length][channels * cells];
        for (int k = 0; k < w.length; k++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < cells; p++) {
                    v[k][c * cells + p] = w[k][c] / (double) cells;
                }
            }
        }
        LayerModel m = new LayerModel(channels, height, width, w.length, v, new double[w.length][channels * cells], b);
        m.gapWeights = w;
        return m;
    }

    int cells() {
        return height * width;
    }

    /** The layer value {@code A = 2x + 0.5} of one example, as {@code [C*H*W]}. */
    static double[] grid(Tensor x, int n) {
        Tensor row = x.row(n);
        double[] a = new double[row.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = 2 * row.get(i) + 0.5;
        }
        return a;
    }

    double logit(double[] a, int k) {
        double s = b[k];
        for (int j = 0; j < a.length; j++) {
            s += v[k][j] * a[j] + 0.5 * u[k][j] * a[j] * a[j];
        }
        return s;
    }

    /** {@code d y_k / d A} in grid layout. */
    double[] gradient(double[] a, int k) {
        double[] g = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            g[j] = v[k][j] + u[k][j] * a[j];
        }
        return g;
    }

    private Tensor layerTensor(Tensor x) {
        int n = x.dim(0);
        if (!tokens) {
            Tensor a = Tensor.zeros(x.shape());
            for (int i = 0; i < a.size(); i++) {
                a.set(i, 2 * x.get(i) + 0.5f);
            }
            return a;
        }
        Tensor a = Tensor.zeros(n, 1 + cells(), channels);
        for (int r = 0; r < n; r++) {
            double[] g = grid(x, r);
            for (int c = 0; c < channels; c++) {
                a.set((r * (1 + cells())) * channels + c, 7f);
                for (int p = 0; p < cells(); p++) {
                    a.set((r * (1 + cells()) + 1 + p) * channels + c, (float) g[c * cells() + p]);
                }
            }
        }
        return a;
    }

    /** The grid values of one example from the layer tensor (the class token ignored). */
    private double[] gridOf(Tensor layer, int n) {
        double[] g = new double[channels * cells()];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < cells(); p++) {
                g[c * cells() + p] = tokens ? layer.at(n, 1 + p, c) : layer.row(n).get(c * cells() + p);
            }
        }
        return g;
    }

    private Tensor head(Tensor layer) {
        int n = layer.dim(0);
        Tensor y = Tensor.zeros(n, classes);
        for (int r = 0; r < n; r++) {
            double[] a = gridOf(layer, r);
            double[] z = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                z[k] = logit(a, k);
                max = Math.max(max, z[k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(z[k] - max);
            }
            for (int k = 0; k < classes; k++) {
                y.set(r * classes + k, (float) (softmax ? Math.exp(z[k] - max) / sum : z[k]));
            }
        }
        return y;
    }

    int[] layerShape(int n) {
        return tokens ? new int[] {n, 1 + cells(), channels} : new int[] {n, channels, height, width};
    }

    @Override
    public ModelSignature signature() {
        return new ModelSignature(List.of(new TensorSpec("x", DataType.FLOAT32, List.of(Dim.symbolic("N"),
                Dim.fixed(channels), Dim.fixed(height), Dim.fixed(width)))),
                List.of(new TensorSpec("y", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(classes)))));
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        forwardCalls++;
        Tensor layer = layerTensor(inputs.get("x"));
        Map<String, Tensor> out = new HashMap<>();
        if (outputs.contains(LAYER)) {
            out.put(LAYER, layer);
        }
        if (outputs.contains("y")) {
            out.put("y", head(layer));
        }
        return out;
    }

    @Override
    public GradientResult vjp(GradientRequest request) {
        if (!request.wrt().equals(Set.of(LAYER)) || !request.output().equals("y")) {
            throw new IllegalArgumentException("unsupported request " + request.wrt() + " of " + request.output());
        }
        Tensor x = request.inputs().get("x");
        Tensor layer = layerTensor(x);
        Tensor grad = Tensor.zeros(layer.shape());
        for (int r = 0; r < x.dim(0); r++) {
            double[] a = gridOf(layer, r);
            double[] g = new double[a.length];
            for (int k = 0; k < classes; k++) {
                double s = request.seed().at(r, k);
                if (s != 0) {
                    double[] gk = gradient(a, k);
                    for (int j = 0; j < g.length; j++) {
                        g[j] += s * gk[j];
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < cells(); p++) {
                    int at = tokens ? (r * (1 + cells()) + 1 + p) * channels + c : r * g.length + c * cells() + p;
                    grad.set(at, (float) g[c * cells() + p]);
                }
            }
        }
        Map<String, Tensor> outputs = new HashMap<>(Map.of("y", head(layer)));
        if (softmax) {
            boolean was = softmax;
            softmax = false;
            outputs.put(GradientResult.SEEDED_OUTPUT, head(layer));
            softmax = was;
        }
        return new GradientResult(outputs, Map.of(LAYER, layer), Map.of(LAYER, grad));
    }

    @Override
    public Model tail(String layer) {
        if (!layer.equals(LAYER)) {
            throw new IllegalArgumentException(layer);
        }
        LayerModel whole = this;
        return new Model() {
            @Override
            public ModelSignature signature() {
                return new ModelSignature(List.of(new TensorSpec(LAYER, DataType.FLOAT32, List.of())),
                        whole.signature().outputs());
            }

            @Override
            public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
                Tensor a = inputs.get(LAYER);
                if (!Arrays.equals(a.shape(), layerShape(a.dim(0)))) {
                    throw new IllegalArgumentException("tail input " + Arrays.toString(a.shape()));
                }
                tailBatches.add(a.dim(0));
                return Map.of("y", head(a));
            }

            @Override
            public Set<ModelCapability> capabilities() {
                return Set.of(ModelCapability.DYNAMIC_BATCH);
            }

            @Override
            public ModelInfo info() {
                return whole.info();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public List<LayerInfo> layers(Map<String, int[]> inputShapes) {
        List<Long> shape = Arrays.stream(layerShape(1)).asLongStream().boxed().toList();
        return List.of(new LayerInfo(LAYER, "Add", "act_node", shape),
                new LayerInfo("y", "Gemm", "head", List.of(1L, (long) classes)));
    }

    @Override
    public Optional<GraphView> graph() {
        if (gapWeights == null) {
            return Optional.empty();
        }
        float[] w = new float[classes * channels];
        for (int k = 0; k < classes; k++) {
            System.arraycopy(gapWeights[k], 0, w, k * channels, channels);
        }
        Tensor weights = Tensor.of(w, classes, channels);
        List<GraphNode> nodes = List.of(
                new GraphNode("layer", "Add", List.of("x", "half"), List.of(LAYER), Map.of()),
                new GraphNode("gap", "GlobalAveragePool", List.of(LAYER), List.of("pooled"), Map.of()),
                new GraphNode("flatten", "Flatten", List.of("pooled"), List.of("flat"), Map.of("axis", 1L)),
                new GraphNode("fc", "Gemm", List.of("flat", "fc.W", "fc.b"), List.of("logits"), Map.of("transB", 1L)),
                new GraphNode("softmax", "Softmax", List.of("logits"), List.of("y"), Map.of()));
        List<GraphNode> used = softmax ? nodes : nodes.subList(0, 4).stream()
                .map(n -> n.outputs().contains("logits") ? new GraphNode(n.name(), n.opType(), n.inputs(),
                        List.of("y"), n.attributes()) : n).toList();
        return Optional.of(new GraphView() {
            @Override
            public List<GraphNode> nodes() {
                return used;
            }

            @Override
            public List<String> inputs() {
                return List.of("x");
            }

            @Override
            public List<String> outputs() {
                return List.of("y");
            }

            @Override
            public Optional<Tensor> constant(String tensor) {
                return tensor.equals("fc.W") ? Optional.of(weights) : Optional.empty();
            }
        });
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return Set.of(ModelCapability.DYNAMIC_BATCH, ModelCapability.GRADIENTS, ModelCapability.INTERMEDIATES);
    }

    @Override
    public Optional<GradientEngine> gradients() {
        return Optional.of(this);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("layer-model", "0".repeat(64), "java", "cpu");
    }

    @Override
    public void close() {
    }
}
