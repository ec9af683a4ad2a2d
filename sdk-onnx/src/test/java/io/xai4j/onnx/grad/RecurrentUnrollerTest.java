package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The unrolled LSTM, GRU and RNN graphs reproduce ONNX Runtime's own recurrent ops, and their gradients pass the
 * dot-product check.
 */
class RecurrentUnrollerTest {
    private static final int F = DataType.FLOAT_VALUE;
    private static final int T = 4;
    private static final int B = 2;
    private static final int I = 3;
    private static final int H = 5;

    /**
     * A model with one recurrent node: x[T, B, I] (or [B, T, I] for layout 1) to outputs y, yh (and yc); with
     * {@link #lengths}, sequence_lens is the int32 model input "lens" and B the number of lengths.
     */
    static final class Rnn {
        final String op;
        int directions = 1;
        int batch = B;
        double[] lengths;
        boolean bias = true;
        boolean initialH;
        boolean initialC;
        boolean peepholes;
        boolean fullSequenceLens;
        int layout;
        final List<AttributeProto> attrs = new ArrayList<>();

        Rnn(String op) {
            this.op = op;
        }

        static Rnn of(String op, AttributeProto... attrs) {
            Rnn r = new Rnn(op);
            r.attrs.addAll(List.of(attrs));
            if (Arrays.stream(attrs).anyMatch(a -> a.getName().equals("direction")
                    && a.getS().toStringUtf8().equals("bidirectional"))) {
                r.directions = 2;
            }
            return r;
        }

        Rnn noBias() {
            bias = false;
            return this;
        }

        Rnn states() {
            initialH = true;
            initialC = op.equals("LSTM");
            return this;
        }

        Rnn peepholes() {
            peepholes = true;
            return this;
        }

        Rnn fullSequenceLens() {
            fullSequenceLens = true;
            return this;
        }

        /** Feeds these sequence lengths through the model input "lens" (one per batch row). */
        Rnn lengths(int... lens) {
            lengths = Arrays.stream(lens).asDoubleStream().toArray();
            batch = lens.length;
            return this;
        }

        Rnn layout1() {
            layout = 1;
            attrs.add(OnnxAttributes.of("layout", 1L));
            return this;
        }

        int gates() {
            return op.equals("LSTM") ? 4 : op.equals("GRU") ? 3 : 1;
        }

        int[] xShape() {
            return layout == 0 ? new int[] {T, batch, I} : new int[] {batch, T, I};
        }

        int[] stateShape() {
            return layout == 0 ? new int[] {directions, batch, H} : new int[] {batch, directions, H};
        }

        ModelProto build(int type) {
            int d = directions;
            int gh = gates() * H;
            TestGraph g = TestGraph.of(type).input("x", xShape()).weights("W", d, gh, I).weights("R", d, gh, H);
            String[] in = {"x", "W", "R", "", "", "", "", ""};
            if (bias) {
                g.weights("B", d, 2 * gh);
                in[3] = "B";
            }
            if (fullSequenceLens) {
                int[] lens = new int[B];
                Arrays.fill(lens, T);
                g.tensor(TensorProto.newBuilder().setName("lens").setDataType(DataType.INT32_VALUE).addDims(B)
                        .addAllInt32Data(Arrays.stream(lens).boxed().toList()).build());
                in[4] = "lens";
            } else if (lengths != null) {
                g.typedInput("lens", DataType.INT32_VALUE, batch);
                in[4] = "lens";
            }
            if (initialH) {
                g.input("h0", stateShape());
                in[5] = "h0";
            }
            if (initialC) {
                g.input("c0", stateShape());
                in[6] = "c0";
            }
            if (peepholes) {
                g.weights("P", d, 3 * H);
                in[7] = "P";
            }
            int n = in.length;
            while (in[n - 1].isEmpty()) {
                n--;
            }
            List<AttributeProto> a = new ArrayList<>(attrs);
            a.add(OnnxAttributes.of("hidden_size", (long) H));
            String outs = op.equals("LSTM") ? "y,yh,yc" : "y,yh";
            g.node(op, String.join(",", Arrays.copyOf(in, n)), outs, a.toArray(AttributeProto[]::new));
            for (String o : outs.split(",")) {
                g.output(o);
            }
            return g.build();
        }

        Map<String, int[]> shapes() {
            Map<String, int[]> s = new LinkedHashMap<>();
            s.put("x", xShape());
            if (lengths != null) {
                s.put("lens", new int[] {batch});
            }
            if (initialH) {
                s.put("h0", stateShape());
            }
            if (initialC) {
                s.put("c0", stateShape());
            }
            return s;
        }

        RuleCheck check() {
            RuleCheck c = RuleCheck.of(this::build);
            shapes().forEach(c::shape);
            if (lengths != null) {
                c.fixed("lens", lengths);
            }
            return c;
        }
    }

    private static AttributeProto direction(String d) {
        return of("direction", d);
    }

    private static AttributeProto activations(String... names) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName("activations")
                .setType(AttributeProto.AttributeType.STRINGS);
        for (String n : names) {
            b.addStrings(ByteString.copyFromUtf8(n));
        }
        return b.build();
    }

    private static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            b.addFloats(v);
        }
        return b.build();
    }

    static Stream<Arguments> forwardCases() {
        return Stream.of(
                Arguments.of("LSTM forward", Rnn.of("LSTM")),
                Arguments.of("LSTM reverse", Rnn.of("LSTM", direction("reverse"))),
                Arguments.of("LSTM bidirectional", Rnn.of("LSTM", direction("bidirectional"))),
                Arguments.of("LSTM bidirectional initial states", Rnn.of("LSTM", direction("bidirectional")).states()),
                Arguments.of("LSTM reverse initial states no bias", Rnn.of("LSTM", direction("reverse")).states().noBias()),
                Arguments.of("LSTM peepholes initial states", Rnn.of("LSTM").states().peepholes()),
                Arguments.of("LSTM peepholes zero state bidirectional", Rnn.of("LSTM", direction("bidirectional")).peepholes()),
                Arguments.of("LSTM input_forget", Rnn.of("LSTM", of("input_forget", 1L)).states()),
                Arguments.of("LSTM clip", Rnn.of("LSTM", of("clip", 0.5f)).states()),
                Arguments.of("LSTM sequence_lens all full", Rnn.of("LSTM").fullSequenceLens()),
                Arguments.of("LSTM activations HardSigmoid Softsign Elu", Rnn.of("LSTM",
                        activations("HardSigmoid", "Softsign", "Elu"), floats("activation_alpha", 0.3f, 0.8f),
                        floats("activation_beta", 0.4f))),
                Arguments.of("GRU linear_before_reset 0", Rnn.of("GRU")),
                Arguments.of("GRU linear_before_reset 1", Rnn.of("GRU", of("linear_before_reset", 1L))),
                Arguments.of("GRU linear_before_reset 1 bidirectional initial state",
                        Rnn.of("GRU", of("linear_before_reset", 1L), direction("bidirectional")).states()),
                Arguments.of("GRU linear_before_reset 0 reverse initial state no bias",
                        Rnn.of("GRU", direction("reverse")).states().noBias()),
                Arguments.of("GRU linear_before_reset 1 no bias", Rnn.of("GRU", of("linear_before_reset", 1L)).noBias()),
                Arguments.of("GRU clip", Rnn.of("GRU", of("clip", 0.4f)).states()),
                Arguments.of("GRU activations LeakyRelu ScaledTanh", Rnn.of("GRU", activations("LeakyRelu", "ScaledTanh"),
                        floats("activation_alpha", 0.2f, 0.9f), floats("activation_beta", 1.3f))),
                Arguments.of("RNN Tanh", Rnn.of("RNN")),
                Arguments.of("RNN Relu bidirectional initial state", Rnn.of("RNN", activations("Relu", "Relu"),
                        direction("bidirectional")).states()),
                Arguments.of("RNN Affine reverse", Rnn.of("RNN", activations("Affine"), floats("activation_alpha", 0.7f),
                        floats("activation_beta", 0.1f), direction("reverse"))),
                Arguments.of("RNN Sigmoid Softplus bidirectional", Rnn.of("RNN", activations("Sigmoid", "Softplus"),
                        direction("bidirectional"))),
                Arguments.of("RNN ThresholdedRelu clip", Rnn.of("RNN", activations("ThresholdedRelu"),
                        floats("activation_alpha", 0.1f), of("clip", 0.8f)).states()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardCases")
    void unrolledGraphReproducesOnnxRuntime(String name, Rnn rnn) throws OrtException {
        ModelProto m = rnn.build(F);
        Map<String, double[]> expected = run(m, rnn.shapes(), inputs(rnn));
        Map<String, double[]> actual = run(unrollAll(m, rnn.shapes()), rnn.shapes(), inputs(rnn));
        assertClose(actual, expected, m);
    }

    @Test
    void layoutOneMatchesLayoutZeroOnTransposedTensors() throws OrtException {
        Rnn batchFirst = Rnn.of("LSTM", direction("bidirectional")).states().peepholes().layout1();
        Rnn timeFirst = Rnn.of("LSTM", direction("bidirectional")).states().peepholes();
        ModelProto m = batchFirst.build(F);
        Map<String, TensorInfo> infos = new HashMap<>();
        infos.put("x", new TensorInfo("x", F, new int[] {B, T, I}, new boolean[3]));
        infos.put("R", new TensorInfo("R", F, new int[] {2, 4 * H, H}, new boolean[3]));
        ModelProto unrolled = RecurrentUnroller.unroll(m, infos, n -> null, new boolean[] {true});
        Map<String, double[]> in = inputs(batchFirst);
        Map<String, double[]> actual = run(unrolled, batchFirst.shapes(), in);
        Map<String, double[]> timeFirstIn = Map.of("x", transpose(in.get("x"), B, T, I),
                "h0", transpose(in.get("h0"), B, 2, H), "c0", transpose(in.get("c0"), B, 2, H));
        Map<String, double[]> expected = run(timeFirst.build(F), timeFirst.shapes(), timeFirstIn);
        int[] yShape = {T, 2, B, H};
        double[] y = new double[T * 2 * B * H];
        for (int t = 0; t < T; t++) {
            for (int d = 0; d < 2; d++) {
                for (int b = 0; b < B; b++) {
                    for (int h = 0; h < H; h++) {
                        // layout 1: Y[b, t, d, h]
                        y[((t * 2 + d) * B + b) * H + h] = actual.get("y")[((b * T + t) * 2 + d) * H + h];
                    }
                }
            }
        }
        assertThat(yShape[0] * yShape[1] * yShape[2] * yShape[3]).isEqualTo(expected.get("y").length);
        assertClose(Map.of("y", y, "yh", transpose(actual.get("yh"), B, 2, H), "yc", transpose(actual.get("yc"), B, 2, H)),
                expected, timeFirst.build(F));
    }

    static Stream<Arguments> gradientCases() {
        Rnn bidirectional = Rnn.of("LSTM", direction("bidirectional")).states();
        return Stream.of(
                Arguments.of("LSTM forward, seed Y, wrt x", Rnn.of("LSTM").check().output("y").wrt("x")),
                Arguments.of("LSTM reverse, seed Y_h, wrt x and h0", Rnn.of("LSTM", direction("reverse")).states()
                        .check().output("yh").wrt("x", "h0").seed(5)),
                Arguments.of("LSTM bidirectional, seed Y", bidirectional.check().output("y")),
                Arguments.of("LSTM bidirectional, seed Y_h, wrt h0", bidirectional.check().output("yh").wrt("h0")),
                Arguments.of("LSTM bidirectional, seed Y_c, wrt x c0", bidirectional.check().output("yc").wrt("x", "c0")),
                Arguments.of("LSTM peepholes, seed Y_c", Rnn.of("LSTM").states().peepholes().check().output("yc")),
                Arguments.of("LSTM input_forget, seed Y_h", Rnn.of("LSTM", of("input_forget", 1L)).check().output("yh")),
                Arguments.of("LSTM clip, seed Y", Rnn.of("LSTM", of("clip", 0.7f)).states().check().output("y")),
                Arguments.of("GRU linear_before_reset 0, seed Y", Rnn.of("GRU").states().check().output("y")),
                Arguments.of("GRU linear_before_reset 1 bidirectional, seed Y_h, wrt h0", Rnn.of("GRU",
                        of("linear_before_reset", 1L), direction("bidirectional")).states().check().output("yh").wrt("h0")),
                Arguments.of("GRU linear_before_reset 1 reverse zero state, seed Y", Rnn.of("GRU",
                        of("linear_before_reset", 1L), direction("reverse")).check().output("y")),
                Arguments.of("RNN Tanh, seed Y_h, wrt x h0", Rnn.of("RNN").states().check().output("yh")),
                Arguments.of("RNN Relu bidirectional, seed Y", Rnn.of("RNN", activations("Relu", "Relu"),
                        direction("bidirectional")).check().output("y")),
                Arguments.of("LSTM after Transpose of a dynamic batch, probe 1, run 3", RuleCheck.of(t -> TestGraph.of(t)
                        .input("x", -1, T, I).weights("W", 1, 4 * H, I).weights("R", 1, 4 * H, H).weights("B", 1, 8 * H)
                        .node("Transpose", "x", "xt", of("perm", 1L, 0L, 2L))
                        .node("LSTM", "xt,W,R,B", "y,yh", of("hidden_size", (long) H)).node("Tanh", "yh", "z")
                        .output("z").build()).shape("x", 1, T, I).runShape("x", 3, T, I)),
                Arguments.of("GRU with sequence_lens of the full length built from the batch size, probe 2, run 3",
                        RuleCheck.of(t -> TestGraph.of(t).input("x", -1, T, I).weights("W", 1, 3 * H, I)
                                .weights("R", 1, 3 * H, H).node("Transpose", "x", "xt", of("perm", 1L, 0L, 2L))
                                .node("Shape", "x", "n", of("start", 0L), of("end", 1L))
                                .node("ConstantOfShape", "n", "lens", of("value", TensorProto.newBuilder()
                                        .setDataType(DataType.INT32_VALUE).addDims(1).addInt32Data(T).build()))
                                .node("GRU", "xt,W,R,,lens", "y,yh", of("hidden_size", (long) H)).output("yh").build())
                                .shape("x", 2, T, I).runShape("x", 3, T, I)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCases")
    void gradientMatchesFiniteDifferences(String name, RuleCheck check) {
        check.run(name);
    }

    @Test
    void onlyRecurrentNodesOnTheGradientPathAreUnrolled() {
        ModelProto m = TestGraph.of(F).input("x", T, B, I).input("u", T, B, I).weights("W", 1, 3 * H, I)
                .weights("R", 1, 3 * H, H).node("GRU", "x,W,R", "y,yh", of("hidden_size", (long) H))
                .node("GRU", "u,W,R", "v,vh", of("hidden_size", (long) H)).output("yh").output("vh").build();
        GradientModel gm = GradientGraphBuilder.forModel(m).inputShapes(Map.of("x", new int[] {T, B, I},
                "u", new int[] {T, B, I})).output("yh").wrt("x").build(RuleCheck.ENV);
        List<NodeProto> grus = gm.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("GRU")).toList();
        assertThat(grus).extracting(NodeProto::getName).containsExactly("gru_1");
        assertThat(m.getGraph().getNodeList()).extracting(NodeProto::getOpType).containsExactly("GRU", "GRU");
    }

    @Test
    void unknownActivationIsUnsupported() {
        ModelProto m = Rnn.of("GRU", activations("Sigmoid", "Swish")).build(F);
        Map<String, TensorInfo> infos = new HashMap<>();
        infos.put("x", new TensorInfo("x", F, new int[] {T, B, I}, new boolean[3]));
        infos.put("R", new TensorInfo("R", F, new int[] {1, 3 * H, H}, new boolean[3]));
        assertThatThrownBy(() -> RecurrentUnroller.unroll(m, infos, n -> null, new boolean[] {true}))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OP))
                .hasMessageContaining("gru_0").hasMessageContaining("'Swish'").hasMessageContaining("Softplus");
    }

    static ModelProto unrollAll(ModelProto m, Map<String, int[]> shapes) {
        ShapeProbe.Result probe = ShapeProbe.probe(RuleCheck.ENV, m, shapes, null);
        Map<String, TensorInfo> infos = new HashMap<>(probe.infos());
        boolean[] all = new boolean[m.getGraph().getNodeCount()];
        Arrays.fill(all, true);
        Map<String, Long> lens = new HashMap<>();
        m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("lens"))
                .forEach(t -> lens.put("lens", (long) t.getInt32Data(0)));
        ModelProto unrolled = RecurrentUnroller.unroll(m, infos, lens::get, all);
        assertThat(unrolled.getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .doesNotContain("LSTM", "GRU", "RNN").contains("MatMul");
        return unrolled;
    }

    /** Random values for the float inputs of {@code rnn}, and its sequence lengths. */
    static Map<String, double[]> inputs(Rnn rnn) {
        Random r = new Random(3);
        Map<String, double[]> in = new HashMap<>();
        rnn.shapes().forEach((k, v) -> in.put(k, RuleCheck.sample(r, RuleCheck.size(v), 0, false)));
        if (rnn.lengths != null) {
            in.put("lens", rnn.lengths);
        }
        return in;
    }

    static Map<String, double[]> run(ModelProto m, Map<String, int[]> shapes, Map<String, double[]> in)
            throws OrtException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession s = RuleCheck.ENV.createSession(m.toByteArray(), opts)) {
            return RuleCheck.runAll(s, m, shapes, in);
        }
    }

    static void assertClose(Map<String, double[]> actual, Map<String, double[]> expected, ModelProto m) {
        assertThat(actual.keySet()).containsAll(expected.keySet());
        for (var o : m.getGraph().getOutputList()) {
            double[] e = expected.get(o.getName());
            double[] a = actual.get(o.getName());
            assertThat(a).as("output %s", o.getName()).hasSameSizeAs(e);
            for (int i = 0; i < e.length; i++) {
                assertThat(Math.abs(a[i] - e[i])).as("%s[%d]: %s vs %s", o.getName(), i, a[i], e[i])
                        .isLessThan(1e-5 * Math.max(1, Math.abs(e[i])));
            }
        }
    }

    /** [a, b, c] to [b, a, c]. */
    private static double[] transpose(double[] x, int a, int b, int c) {
        double[] y = new double[x.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(x, (i * b + j) * c, y, (j * a + i) * c, c);
            }
        }
        return y;
    }
}
