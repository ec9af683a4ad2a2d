package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.UnrollGraph.BATCH;
import static io.xai4j.onnx.grad.UnrollGraph.shape;

import io.xai4j.onnx.grad.RecurrentSpec.Activation;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import java.util.Arrays;
import java.util.List;

/**
 * Unrolls one direction of an LSTM, GRU or RNN node into standard ops, following the ONNX equations: the input
 * projection of all steps is one MatMul, each step adds the recurrent MatMul, biases, peepholes, clip and the
 * gate activations. An absent initial state is zero, so the first step leaves out the terms it would multiply.
 * With variable sequence lengths, each step's state and output go through the {@link SequenceMasks}.
 */
final class RecurrentDirection {
    private final UnrollGraph g;
    private final RecurrentSpec s;
    private final int d;
    private final int h;
    private final List<Activation> act;
    private final SequenceMasks masks;
    private String recurrentT;
    private String[] peepholes;
    private String recurrentBiasH;

    /** Hidden states in time order, and the final hidden and cell state. */
    final String[] hiddenByTime;
    String lastHidden;
    String lastCell;

    /** Direction {@code direction} of {@code s}; {@code masks} is null when every row has the full length. */
    RecurrentDirection(UnrollGraph g, RecurrentSpec s, int direction, SequenceMasks masks) {
        this.g = g;
        this.s = s;
        this.d = direction;
        this.masks = masks;
        this.h = s.hidden();
        this.act = s.activations().get(direction);
        this.hiddenByTime = new String[s.steps()];
    }

    /** Runs the direction over {@code x} of shape [T, B, I]. */
    void run(String x) {
        int gh = s.gates() * h;
        String wT = g.op("Transpose", shape(s.inputSize(), gh), List.of(directionSlice(s.input(1), gh, s.inputSize())),
                OnnxAttributes.of("perm", 1L, 0L));
        recurrentT = g.op("Transpose", shape(h, gh), List.of(directionSlice(s.input(2), gh, h)),
                OnnxAttributes.of("perm", 1L, 0L));
        String xw = g.op("MatMul", shape(s.steps(), BATCH, gh), List.of(x, wT));
        if (s.input(3) != null) {
            xw = g.op("Add", shape(s.steps(), BATCH, gh), List.of(xw, inputBias(gh)));
        }
        if (s.node().getOpType().equals("LSTM") && s.input(7) != null) {
            peepholes = g.split(g.op("Gather", shape(3 * h), List.of(s.input(7), g.longScalar(d)),
                    OnnxAttributes.of("axis", 0L)), 0, h, h, h);
        }
        String[] steps = s.steps() == 1 ? new String[] {xw} : g.split(xw, 0, ones(s.steps()));
        String hidden = initialState(5);
        String cell = initialState(6);
        boolean backwards = s.reverse() || d == 1;
        for (int i = 0; i < s.steps(); i++) {
            int t = backwards ? s.steps() - 1 - i : i;
            String xt = g.op("Squeeze", shape(BATCH, gh), List.of(steps[t], g.longs(0)));
            String newCell = null;
            String newHidden = switch (s.node().getOpType()) {
                case "LSTM" -> {
                    String[] hc = lstm(xt, hidden, cell);
                    newCell = hc[1];
                    yield hc[0];
                }
                case "GRU" -> gru(xt, hidden);
                default -> activate(0, clip(hidden == null ? xt : add(xt, recurrent(hidden, gh))));
            };
            if (masks == null) {
                hidden = newHidden;
                cell = newCell;
                hiddenByTime[t] = hidden;
            } else {
                hidden = masks.keep(t, newHidden, hidden);
                cell = newCell == null ? null : masks.keep(t, newCell, cell);
                hiddenByTime[t] = masks.output(t, hidden);
            }
        }
        lastHidden = masks != null && s.input(5) != null ? masks.last(hidden) : hidden;
        lastCell = masks != null && cell != null && s.input(6) != null ? masks.last(cell) : cell;
    }

    /** Gates i, o, f, c: Ct = ft Ct-1 + it ct, Ht = ot h(Ct), with peepholes on Ct-1 (i, f) and Ct (o). */
    private String[] lstm(String xt, String hidden, String cell) {
        String[] gate = g.split(hidden == null ? xt : add(xt, recurrent(hidden, 4 * h)), 1, h, h, h, h);
        String in = gate[0];
        String forget = gate[2];
        if (peepholes != null && cell != null) {
            in = add(in, mul(peepholes[0], cell));
            forget = add(forget, mul(peepholes[2], cell));
        }
        String i = activate(0, clip(in));
        String f = s.inputForget() ? g.op("Sub", hs(), List.of(g.floats(1), i)) : activate(0, clip(forget));
        String c = activate(1, clip(gate[3]));
        String newCell = cell == null ? mul(i, c) : add(mul(f, cell), mul(i, c));
        String out = gate[1];
        if (peepholes != null) {
            out = add(out, mul(peepholes[1], newCell));
        }
        String o = activate(0, clip(out));
        return new String[] {mul(o, activate(2, newCell)), newCell};
    }

    /** Gates z, r, h: Ht = (1 - zt) ht + zt Ht-1, with the reset gate before or after the recurrent product. */
    private String gru(String xt, String hidden) {
        String[] x = g.split(xt, 1, h, h, h);
        String z;
        String r;
        String candidate;
        if (hidden == null) {
            z = activate(0, clip(x[0]));
            r = s.linearBeforeReset() && recurrentBiasH != null ? activate(0, clip(x[1])) : null;
            candidate = r == null ? x[2] : add(x[2], mul(r, recurrentBiasH));
        } else if (s.linearBeforeReset()) {
            String[] rec = g.split(recurrent(hidden, 3 * h), 1, h, h, h);
            z = activate(0, clip(add(x[0], rec[0])));
            r = activate(0, clip(add(x[1], rec[1])));
            String hr = recurrentBiasH == null ? rec[2] : add(rec[2], recurrentBiasH);
            candidate = add(x[2], mul(r, hr));
        } else {
            String[] rzr = g.split(recurrentT, 1, 2 * h, h);
            String[] rec = g.split(g.op("MatMul", shape(BATCH, 2 * h), List.of(hidden, rzr[0])), 1, h, h);
            z = activate(0, clip(add(x[0], rec[0])));
            r = activate(0, clip(add(x[1], rec[1])));
            candidate = add(x[2], g.op("MatMul", hs(), List.of(mul(r, hidden), rzr[1])));
        }
        String ht = activate(1, clip(candidate));
        String keep = g.op("Sub", hs(), List.of(g.floats(1), z));
        return hidden == null ? mul(keep, ht) : add(mul(keep, ht), mul(z, hidden));
    }

    /** Wb + Rb, except GRU with linear_before_reset, whose Rbh goes inside the reset product. */
    private String inputBias(int gh) {
        String[] wbRb = g.split(g.op("Gather", shape(2 * gh), List.of(s.input(3), g.longScalar(d)),
                OnnxAttributes.of("axis", 0L)), 0, gh, gh);
        if (!s.linearBeforeReset()) {
            return g.op("Add", shape(gh), List.of(wbRb[0], wbRb[1]));
        }
        String[] rb = g.split(wbRb[1], 0, 2 * h, h);
        recurrentBiasH = rb[1];
        String[] wb = g.split(wbRb[0], 0, 2 * h, h);
        return g.op("Concat", shape(gh), List.of(g.op("Add", shape(2 * h), List.of(wb[0], rb[0])), wb[1]),
                OnnxAttributes.of("axis", 0L));
    }

    /** W, R or B of this direction: [rows, cols] from [D, rows, cols]. */
    private String directionSlice(String tensor, int rows, int cols) {
        return g.op("Gather", shape(rows, cols), List.of(tensor, g.longScalar(d)), OnnxAttributes.of("axis", 0L));
    }

    /** initial_h (5) or initial_c (6) of this direction as [B, H], or null when absent (zero). */
    private String initialState(int index) {
        if (index == 6 && !s.node().getOpType().equals("LSTM") || s.input(index) == null) {
            return null;
        }
        return g.op("Gather", hs(), List.of(s.input(index), g.longScalar(d)),
                OnnxAttributes.of("axis", (long) s.layout()));
    }

    private String recurrent(String hidden, int width) {
        return g.op("MatMul", shape(BATCH, width), List.of(hidden, recurrentT));
    }

    private String clip(String x) {
        if (Double.isNaN(s.clip())) {
            return x;
        }
        return g.op("Clip", g.shapeOf(x), List.of(x, g.floats(-s.clip()), g.floats(s.clip())));
    }

    /** Applies the {@code index}-th activation function of this direction. */
    private String activate(int index, String x) {
        Activation a = act.get(index);
        int[] shape = g.shapeOf(x);
        return switch (a.name()) {
            case "sigmoid" -> g.op("Sigmoid", shape, List.of(x));
            case "tanh" -> g.op("Tanh", shape, List.of(x));
            case "relu" -> g.op("Relu", shape, List.of(x));
            case "softsign" -> g.op("Softsign", shape, List.of(x));
            case "softplus" -> g.op("Softplus", shape, List.of(x));
            case "leakyrelu" -> g.op("LeakyRelu", shape, List.of(x), alpha(a));
            case "thresholdedrelu" -> g.op("ThresholdedRelu", shape, List.of(x), alpha(a));
            case "elu" -> g.op("Elu", shape, List.of(x), alpha(a));
            case "hardsigmoid" -> g.op("HardSigmoid", shape, List.of(x), alpha(a),
                    OnnxAttributes.of("beta", (float) a.beta()));
            case "affine" -> g.op("Add", shape, List.of(g.op("Mul", shape, List.of(x, g.floats(a.alpha()))),
                    g.floats(a.beta())));
            case "scaledtanh" -> g.op("Mul", shape, List.of(g.op("Tanh", shape, List.of(g.op("Mul", shape,
                    List.of(x, g.floats(a.beta()))))), g.floats(a.alpha())));
            default -> throw new IllegalStateException("activation " + a.name() + " passed validation");
        };
    }

    private static AttributeProto alpha(Activation a) {
        return OnnxAttributes.of("alpha", (float) a.alpha());
    }

    private String add(String a, String b) {
        return g.op("Add", g.shapeOf(a), List.of(a, b));
    }

    private String mul(String a, String b) {
        return g.op("Mul", hs(), List.of(a, b));
    }

    private int[] hs() {
        return shape(BATCH, h);
    }

    private static int[] ones(int n) {
        int[] o = new int[n];
        Arrays.fill(o, 1);
        return o;
    }
}
