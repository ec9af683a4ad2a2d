package io.xai4j.methods.gradient;

import io.xai4j.layer.GraphNode;
import io.xai4j.spi.backward.BackwardContext;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A linear layer (Conv, ConvTranspose, Gemm, or MatMul by a tensor that does not depend on the attributed input)
 * as LRP's rules see it: the signal {@code x}, the weights {@code w}, the bias {@code b} and the output {@code z}.
 * A BatchNormalization that is the only reader of a Conv's, Gemm's or MatMul's output (canonization) is folded into
 * the layer's weights and bias, in the gradient graph only: {@code w s}, {@code (b - mean) s + beta} with
 * {@code s = scale / sqrt(var + epsilon)}, and {@code z} is the normalisation's output, whose relevance the
 * normalisation passes on unchanged.
 */
final class LinearLayer {
    static final Set<String> OPS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");
    private static final Set<String> LAYOUT_OPS = Set.of("Reshape", "Flatten", "Transpose", "Identity", "Squeeze",
            "Unsqueeze", "Pad", "Cast");
    private static final Set<String> NON_NEGATIVE_THROUGH = Set.of("MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "Reshape", "Flatten", "Transpose", "Identity", "Squeeze", "Unsqueeze");

    private final BackwardContext c;
    private final Ops ops;
    private final GraphNode node;
    private final int signal;
    private final int weight;
    private final String w;
    private final String b;
    private final String z;
    private String positiveContributions;
    private String positiveX;

    LinearLayer(BackwardContext c, int signal) {
        this.c = c;
        this.ops = new Ops(c);
        this.node = c.node();
        this.signal = signal;
        this.weight = 1 - signal;
        String bias = null;
        if (!node.opType().equals("MatMul") && node.input(2).isPresent()) {
            double beta = node.floatAttribute("beta").orElse(1.0);
            bias = node.opType().equals("Gemm") && beta != 1 ? ops.mul(c.input(2), ops.scalar(beta, x())) : c.input(2);
        }
        Optional<GraphNode> norm = foldedNormalization(c, node);
        if (norm.isPresent()) {
            List<String> in = norm.get().inputs();
            String eps = ops.scalar(norm.get().floatAttribute("epsilon").orElse(1e-5), x());
            String scale = ops.div(in.get(1), ops.op("Sqrt", ops.add(in.get(4), eps)));
            this.w = ops.mul(c.input(weight), scaleAlongOutputs(scale));
            String shifted = ops.sub(bias == null ? ops.scalar(0, x()) : bias, in.get(3));
            this.b = ops.add(ops.mul(shifted, scale), in.get(2));
            this.z = norm.get().outputs().get(0);
        } else {
            this.w = c.input(weight);
            this.b = bias;
            this.z = c.output(0);
        }
    }

    /**
     * The BatchNormalization folded into {@code layer}: the only reader of its output, with constant statistics,
     * after a Conv, or after a Gemm or a 2-D MatMul by a constant weight.
     */
    static Optional<GraphNode> foldedNormalization(BackwardContext c, GraphNode layer) {
        String out = layer.outputs().get(0);
        List<GraphNode> readers = c.consumers(out);
        if (readers.size() != 1 || !readers.get(0).opType().equals("BatchNormalization")
                || !readers.get(0).inputs().get(0).equals(out)) {
            return Optional.empty();
        }
        GraphNode norm = readers.get(0);
        boolean constantStatistics = norm.inputs().subList(1, 5).stream().allMatch(t -> c.constantValue(t).isPresent());
        boolean foldable = switch (layer.opType()) {
            case "Conv" -> true;
            case "Gemm" -> c.constantValue(layer.inputs().get(1)).isPresent();
            case "MatMul" -> c.constantValue(layer.inputs().get(1)).isPresent()
                    && c.constantValue(layer.inputs().get(1)).get().rank() == 2 && c.shape(out).length == 2;
            default -> false;
        };
        return constantStatistics && foldable ? Optional.of(norm) : Optional.empty();
    }

    /** The per-output-channel {@code scale} shaped to multiply the weights. */
    private String scaleAlongOutputs(String scale) {
        if (node.opType().equals("Conv")) {
            long[] shape = new long[c.shape(c.input(weight)).length];
            Arrays.fill(shape, 1);
            shape[0] = -1;
            return c.emit("Reshape", List.of(scale, c.int64s(shape)), Map.of());
        }
        boolean outputsFirst = node.opType().equals("Gemm") && node.intAttribute("transB").orElse(0L) == 1;
        return outputsFirst ? c.emit("Reshape", List.of(scale, c.int64s(-1, 1)), Map.of()) : scale;
    }

    Ops ops() {
        return ops;
    }

    String x() {
        return c.input(signal);
    }

    String w() {
        return w;
    }

    /** The bias as added to the output (Gemm's {@code beta C}), or null. */
    String b() {
        return b;
    }

    String z() {
        return z;
    }

    /** {@code x+}: {@code x} itself where it comes from a Relu (see {@link #nonNegative}), without a node. */
    String positiveX() {
        if (positiveX == null) {
            positiveX = nonNegative(x()) ? x() : ops.positive(x());
        }
        return positiveX;
    }

    /** Whether the relevance of {@link #z()} is zero wherever {@code z <= 0} ({@link VanishingRelevance}). */
    boolean noRelevanceBelowZero(LrpComposite composite) {
        return new VanishingRelevance(c, composite).belowZero(z);
    }

    /** The layer's output for signal {@code xIn}, weights {@code wIn} and bias {@code bIn} (null for none). */
    String forward(String xIn, String wIn, String bIn) {
        String op = node.opType();
        if (op.startsWith("Conv")) {
            return c.emit(op, bIn == null ? List.of(xIn, wIn) : List.of(xIn, wIn, bIn), node.attributes());
        }
        Map<String, Object> attributes = new HashMap<>(node.attributes());
        attributes.remove("beta");
        List<String> inputs = signal == 0 ? List.of(xIn, wIn) : List.of(wIn, xIn);
        String y = c.emit(op, inputs, op.equals("Gemm") ? attributes : Map.of());
        return bIn == null ? y : ops.add(y, bIn);
    }

    /** The input gradient of the layer with weights {@code wIn}, for output gradient {@code g}: {@code W'^T g}. */
    String back(String wIn, String g) {
        List<String> inputs = new ArrayList<>(node.inputs());
        inputs.set(weight, wIn);
        return c.baseBackward(inputs, List.of(g)).get(signal);
    }

    /**
     * The contributions of one sign to each output: {@code x+ w+ + x- w- + b+} for the positive ones (emitted once),
     * {@code x+ w- + x- w+ + b-} for the negative ones.
     */
    String contributions(boolean positive) {
        if (positive && positiveContributions != null) {
            return positiveContributions;
        }
        String wp = ops.positive(w);
        String wn = ops.negative(w);
        String bias = b == null ? null : positive ? ops.positive(b) : ops.negative(b);
        String z = forward(positiveX(), positive ? wp : wn, bias);
        if (!nonNegative(x())) {
            z = ops.add(z, forward(ops.negative(x()), positive ? wn : wp, null));
        }
        if (positive) {
            positiveContributions = z;
        }
        return z;
    }

    /**
     * The positive contributions plus {@code e}, {@code x+ w+ + x- w- + b+ + e}: the stabilised denominator of the
     * z-plus rule (which is never negative), with {@code e} added to the bias constant where there is a bias.
     */
    String stabilizedPositiveContributions(double e) {
        if (b == null) {
            return ops.add(contributions(true), ops.scalar(e, x()));
        }
        String z = forward(positiveX(), ops.positive(w), ops.add(ops.positive(b), ops.scalar(e, x())));
        return nonNegative(x()) ? z : ops.add(z, forward(ops.negative(x()), ops.negative(w), null));
    }

    /**
     * {@code x+ W1^T unit + x- W2^T unit}: the relevance when positive inputs count through weights {@code w1} and
     * negative ones through {@code w2}.
     */
    String share(String w1, String w2, String unit) {
        String relevance = ops.mul(positiveX(), back(w1, unit));
        return nonNegative(x()) ? relevance : ops.add(relevance, ops.mul(ops.negative(x()), back(w2, unit)));
    }

    /** {@code x W}, the output without the bias, as the forward pass computed it ({@code z - b}). */
    String linearPart() {
        if (b == null) {
            return z;
        }
        if (!node.opType().startsWith("Conv")) {
            return ops.sub(z, b);
        }
        long[] alongChannels = new long[c.shape(z).length - 1];
        Arrays.fill(alongChannels, 1);
        alongChannels[0] = -1;
        return ops.sub(z, c.emit("Reshape", List.of(b, c.int64s(alongChannels)), Map.of()));
    }

    /** A bound of the signal: one value for every element, or one per channel (axis 1); see {@link #filled}. */
    String bound(float[] values) {
        int[] shape = c.shape(x());
        if (values.length != 1 && (shape.length < 2 || shape[1] != values.length)) {
            throw c.unsupported("the box rule has " + values.length + " bounds per side but the first layer's input"
                    + " has shape " + Arrays.toString(shape) + "; give one value or one per channel (axis 1)");
        }
        return filled(values);
    }

    /**
     * A tensor shaped like the signal, filled with one value or one per channel (axis 1). Where only the batch axis
     * varies at run time it is a constant with a batch of one (broadcast by the ops that read it), so that what is
     * computed from it and the weights alone, such as the box rule's {@code low w+}, is folded when a session starts.
     */
    String filled(float[] values) {
        int[] shape = c.shape(x());
        boolean[] batchDependent = c.batchDependent(x());
        boolean onlyBatch = batchDependent.length > 0 && batchDependent[0];
        for (int i = 1; i < batchDependent.length; i++) {
            onlyBatch &= !batchDependent[i];
        }
        int[] valueShape = new int[Math.max(shape.length - 1, 1)];
        Arrays.fill(valueShape, 1);
        valueShape[0] = values.length;
        String perChannel = c.constant(Tensor.of(values.clone(), valueShape));
        if (!onlyBatch) {
            return ops.add(c.zerosLike(x()), perChannel);
        }
        long[] one = Arrays.stream(shape).asLongStream().toArray();
        one[0] = 1;
        return c.emit("Expand", List.of(perChannel, c.int64s(one)), Map.of());
    }

    /**
     * Whether the box rule's bounds fit this layer as its first: a convolution over an image {@code [N,C,H,W]} whose
     * channels match the bounds (any, for one value), fed by a model input through layout ops and element-wise ops
     * with constants only (such as a normalisation inside the graph).
     */
    boolean isFirstImageLayer(int boundValues) {
        int[] shape = c.shape(x());
        if (!node.opType().equals("Conv") || shape.length != 4 || (boundValues != 1 && shape[1] != boundValues)) {
            return false;
        }
        String t = x();
        for (Optional<GraphNode> p = c.producer(t); p.isPresent(); p = c.producer(t)) {
            GraphNode n = p.get();
            boolean constantOthers = n.inputs().stream().skip(1).allMatch(i -> i.isEmpty()
                    || c.constantValue(i).isPresent());
            if (!LAYOUT_OPS.contains(n.opType()) && !(Set.of("Sub", "Div", "Mul", "Add").contains(n.opType())
                    && constantOthers)) {
                return false;
            }
            t = n.inputs().get(0);
        }
        return c.constantValue(t).isEmpty();
    }

    /** Whether {@code t} comes from a Relu through pooling and layout ops only, so it has no negative values. */
    private boolean nonNegative(String t) {
        for (Optional<GraphNode> p = c.producer(t); p.isPresent(); p = c.producer(t)) {
            if (p.get().opType().equals("Relu")) {
                return true;
            }
            if (!NON_NEGATIVE_THROUGH.contains(p.get().opType())) {
                return false;
            }
            t = p.get().inputs().get(0);
        }
        return false;
    }
}
