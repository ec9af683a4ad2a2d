package io.xai4j.onnx.grad;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The attributes and concrete sizes of one LSTM, GRU or RNN node, checked against what the unrolled form supports.
 *
 * @param node        the recurrent node
 * @param gates       gates per direction: LSTM 4 (iofc), GRU 3 (zrh), RNN 1
 * @param directions  1 or 2
 * @param reverse     whether the only direction runs backwards in time
 * @param layout      0: X is [T, B, I]; 1: X is [B, T, I]
 * @param steps       the sequence length T
 * @param batch       the probed batch size
 * @param inputSize   I
 * @param hidden      H
 * @param activations per direction, the node's activation functions in spec order
 * @param clip        the cell clip threshold, or {@code NaN} for none
 * @param inputForget LSTM: the forget gate is 1 - input gate
 * @param linearBeforeReset GRU: the reset gate multiplies the recurrent product, bias included
 * @param sequenceLens the sequence_lens input, or null when absent or provably the full length for every row
 */
record RecurrentSpec(NodeProto node, int gates, int directions, boolean reverse, int layout, int steps, int batch,
        int inputSize, int hidden, List<List<Activation>> activations, double clip, boolean inputForget,
        boolean linearBeforeReset, String sequenceLens) {

    /** One activation function with its alpha and beta. */
    record Activation(String name, double alpha, double beta) {
    }

    private static final Set<String> KNOWN = Set.of("sigmoid", "tanh", "relu", "affine", "leakyrelu",
            "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu", "softsign", "softplus");
    /** Activations that take alpha (beta); they consume activation_alpha (activation_beta) values in order. */
    private static final Set<String> NEED_ALPHA = Set.of("affine", "scaledtanh", "thresholdedrelu", "leakyrelu",
            "hardsigmoid", "elu");
    private static final Set<String> NEED_BETA = Set.of("affine", "scaledtanh", "hardsigmoid");
    /** Defaults where the value is missing; the others (Affine, ScaledTanh, ThresholdedRelu) need explicit values. */
    private static final Map<String, double[]> DEFAULTS = Map.of("leakyrelu", new double[] {0.01, 0},
            "hardsigmoid", new double[] {0.2, 0.5}, "elu", new double[] {1.0, 0});

    /** Optional input at {@code index}, or null when absent. */
    String input(int index) {
        return index < node.getInputCount() && !node.getInput(index).isEmpty() ? node.getInput(index) : null;
    }

    /** Optional output at {@code index}, or null when absent. */
    String output(int index) {
        return index < node.getOutputCount() && !node.getOutput(index).isEmpty() ? node.getOutput(index) : null;
    }

    /**
     * Reads and checks {@code n}; {@code uniformInt} gives the one value all elements of an integer tensor provably
     * have in every run (null when it has none), so that sequence_lens of the full length need no masks.
     */
    static RecurrentSpec parse(NodeProto n, Map<String, TensorInfo> infos, Function<String, Long> uniformInt) {
        String op = n.getOpType();
        int gates = switch (op) {
            case "LSTM" -> 4;
            case "GRU" -> 3;
            default -> 1;
        };
        String direction = OnnxAttributes.getString(n, "direction", "forward");
        if (!Set.of("forward", "reverse", "bidirectional").contains(direction)) {
            throw unsupported(n, "direction '" + direction + "' is not one of forward, reverse, bidirectional");
        }
        int directions = direction.equals("bidirectional") ? 2 : 1;
        long layout = OnnxAttributes.getInt(n, "layout", 0);
        if (layout != 0 && layout != 1) {
            throw unsupported(n, "layout " + layout + " is not 0 or 1");
        }
        TensorInfo x = infos.get(n.getInput(0));
        TensorInfo r = infos.get(n.getInput(2));
        if (x == null || r == null || x.rank() != 3 || r.rank() != 3) {
            throw unsupported(n, "X and R must have known rank-3 shapes, got " + x + " and " + r);
        }
        int timeAxis = layout == 0 ? 0 : 1;
        if (x.isDynamic(timeAxis)) {
            throw unsupported(n, "the sequence axis of X follows the batch size, so the sequence length is not fixed");
        }
        int hidden = r.dim(2);
        long declared = OnnxAttributes.getInt(n, "hidden_size", hidden);
        if (declared != hidden || r.dim(1) != gates * hidden || r.dim(0) != directions) {
            throw unsupported(n, "R has shape " + r + " but hidden_size " + declared + " and " + directions
                    + " direction(s) expect [" + directions + ", " + gates * declared + ", " + declared + "]");
        }
        int steps = x.dim(timeAxis);
        if (steps < 1) {
            throw unsupported(n, "the sequence is empty");
        }
        String seqLens = n.getInputCount() > 4 && !n.getInput(4).isEmpty() ? n.getInput(4) : null;
        if (seqLens != null) {
            Long uniform = uniformInt.apply(seqLens);
            seqLens = uniform != null && uniform == steps ? null : seqLens;
        }
        if (op.equals("GRU") && n.getInputCount() > 6) {
            throw unsupported(n, "GRU has at most 6 inputs, got " + n.getInputCount());
        }
        double clip = OnnxAttributes.has(n, "clip") ? OnnxAttributes.getFloat(n, "clip", 0) : Double.NaN;
        if (!Double.isNaN(clip) && !(clip > 0)) {
            throw unsupported(n, "clip must be positive, got " + clip);
        }
        long inputForget = OnnxAttributes.getInt(n, "input_forget", 0);
        long linearBeforeReset = OnnxAttributes.getInt(n, "linear_before_reset", 0);
        return new RecurrentSpec(n, gates, directions, direction.equals("reverse"), (int) layout, steps,
                x.dim(1 - timeAxis), x.dim(2), hidden, activations(n, directions), clip,
                op.equals("LSTM") && inputForget != 0, op.equals("GRU") && linearBeforeReset != 0, seqLens);
    }

    private static List<List<Activation>> activations(NodeProto n, int directions) {
        List<String> defaults = switch (n.getOpType()) {
            case "LSTM" -> List.of("Sigmoid", "Tanh", "Tanh");
            case "GRU" -> List.of("Sigmoid", "Tanh");
            default -> List.of("Tanh");
        };
        int perDirection = defaults.size();
        List<String> names = new ArrayList<>();
        OnnxAttributes.find(n, "activations").ifPresentOrElse(
                a -> a.getStringsList().forEach(s -> names.add(s.toString(StandardCharsets.UTF_8))),
                () -> {
                    for (int d = 0; d < directions; d++) {
                        names.addAll(defaults);
                    }
                });
        if (names.size() == perDirection && directions == 2) {
            names.addAll(List.copyOf(names));
        }
        if (names.size() != perDirection * directions) {
            throw unsupported(n, "activations " + names + " should list " + perDirection * directions
                    + " functions (" + perDirection + " per direction)");
        }
        float[] alphas = floats(n, "activation_alpha");
        float[] betas = floats(n, "activation_beta");
        int nextAlpha = 0;
        int nextBeta = 0;
        List<List<Activation>> result = new ArrayList<>();
        for (int d = 0; d < directions; d++) {
            List<Activation> own = new ArrayList<>();
            for (int i = 0; i < perDirection; i++) {
                String name = names.get(d * perDirection + i).toLowerCase(Locale.ROOT);
                if (!KNOWN.contains(name)) {
                    throw unsupported(n, "activation '" + names.get(d * perDirection + i) + "' is not one of Sigmoid,"
                            + " Tanh, Relu, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign,"
                            + " Softplus");
                }
                double[] defaultValues = DEFAULTS.get(name);
                double alpha = 0;
                double beta = 0;
                if (NEED_ALPHA.contains(name)) {
                    if (nextAlpha < alphas.length) {
                        alpha = alphas[nextAlpha++];
                    } else if (defaultValues != null) {
                        alpha = defaultValues[0];
                    } else {
                        throw unsupported(n, "activation " + name + " needs an explicit activation_alpha value");
                    }
                }
                if (NEED_BETA.contains(name)) {
                    if (nextBeta < betas.length) {
                        beta = betas[nextBeta++];
                    } else if (defaultValues != null) {
                        beta = defaultValues[1];
                    } else {
                        throw unsupported(n, "activation " + name + " needs an explicit activation_beta value");
                    }
                }
                own.add(new Activation(name, alpha, beta));
            }
            result.add(List.copyOf(own));
        }
        return List.copyOf(result);
    }

    private static float[] floats(NodeProto n, String name) {
        List<Float> values = OnnxAttributes.find(n, name).map(AttributeProto::getFloatsList).orElse(List.of());
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i);
        }
        return f;
    }

    static XaiException unsupported(NodeProto n, String problem) {
        return new XaiException(ErrorCode.UNSUPPORTED_OP, "cannot differentiate op " + n.getOpType() + " (node '"
                + GradientGraphBuilder.nodeName(n) + "'): " + problem + "; " + GraphEmitter.METHODS_WITHOUT_GRADIENTS);
    }
}
