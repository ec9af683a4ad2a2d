package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static io.xai4j.onnx.grad.RecurrentUnrollerTest.assertClose;
import static io.xai4j.onnx.grad.RecurrentUnrollerTest.inputs;
import static io.xai4j.onnx.grad.RecurrentUnrollerTest.run;
import static io.xai4j.onnx.grad.RecurrentUnrollerTest.unrollAll;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import io.xai4j.onnx.grad.RecurrentUnrollerTest.Rnn;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LSTM, GRU and RNN nodes with variable sequence_lens, read at run time: the masked unrolled graphs reproduce ONNX
 * Runtime's own ops (rows of length 0 included) and their gradients pass the dot-product check.
 */
class RecurrentSequenceLensTest {
    private static final int F = DataType.FLOAT_VALUE;
    private static final int T = 4;
    private static final int I = 3;
    private static final int H = 5;

    private static AttributeProto direction(String d) {
        return of("direction", d);
    }

    static Stream<Arguments> forwardCases() {
        List<Arguments> cases = new ArrayList<>();
        for (String op : List.of("LSTM", "GRU", "RNN")) {
            for (String d : List.of("forward", "reverse", "bidirectional")) {
                cases.add(Arguments.of(op + " " + d + " lengths [T, 1, T-2]",
                        Rnn.of(op, direction(d)).lengths(T, 1, T - 2)));
                cases.add(Arguments.of(op + " " + d + " lengths [T, 1, T-2] initial states",
                        Rnn.of(op, direction(d)).lengths(T, 1, T - 2).states()));
                cases.add(Arguments.of(op + " " + d + " lengths [T-1, 0, 2] initial states",
                        Rnn.of(op, direction(d)).lengths(T - 1, 0, 2).states()));
            }
        }
        cases.add(Arguments.of("LSTM bidirectional peepholes clip lengths [2, T, 0, 1] initial states",
                Rnn.of("LSTM", direction("bidirectional"), of("clip", 0.6f)).peepholes().lengths(2, T, 0, 1).states()));
        cases.add(Arguments.of("LSTM reverse input_forget no bias lengths [1, 3]",
                Rnn.of("LSTM", direction("reverse"), of("input_forget", 1L)).noBias().lengths(1, 3).states()));
        cases.add(Arguments.of("GRU linear_before_reset 1 bidirectional lengths [T-2, T, 0]",
                Rnn.of("GRU", of("linear_before_reset", 1L), direction("bidirectional")).lengths(T - 2, T, 0)));
        cases.add(Arguments.of("GRU linear_before_reset 1 reverse clip lengths [T, 0, 2] initial state",
                Rnn.of("GRU", of("linear_before_reset", 1L), of("clip", 0.5f), direction("reverse")).lengths(T, 0, 2)
                        .states()));
        cases.add(Arguments.of("RNN bidirectional lengths all 0 initial state",
                Rnn.of("RNN", direction("bidirectional")).lengths(0, 0).states()));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardCases")
    void maskedUnrolledGraphReproducesOnnxRuntime(String name, Rnn rnn) throws OrtException {
        ModelProto m = rnn.build(F);
        Map<String, double[]> expected = run(m, rnn.shapes(), inputs(rnn));
        ModelProto unrolled = unrollAll(m, rnn.shapes());
        assertThat(unrolled.getGraph().getNodeList()).extracting(NodeProto::getOpType).contains("Less", "Where");
        assertClose(run(unrolled, rnn.shapes(), inputs(rnn)), expected, m);
    }

    @Test
    void paddedStepsGiveZeroOutputsAndRowsOfLengthZeroAZeroFinalState() throws OrtException {
        Rnn rnn = Rnn.of("LSTM", direction("bidirectional")).lengths(T, 1, 0).states();
        Map<String, double[]> in = inputs(rnn);
        Map<String, double[]> actual = run(unrollAll(rnn.build(F), rnn.shapes()), rnn.shapes(), in);
        double[] y = actual.get("y");
        for (int t = 0; t < T; t++) {
            for (int d = 0; d < 2; d++) {
                for (int b = 0; b < 3; b++) {
                    boolean padded = t >= new int[] {T, 1, 0}[b];
                    for (int h = 0; h < H; h++) {
                        double v = y[((t * 2 + d) * 3 + b) * H + h];
                        assertThat(v == 0).as("Y[%d, %d, %d, %d] = %s", t, d, b, h, v).isEqualTo(padded);
                    }
                }
            }
        }
        for (String state : List.of("yh", "yc")) {
            for (int d = 0; d < 2; d++) {
                for (int h = 0; h < H; h++) {
                    assertThat(actual.get(state)[(d * 3 + 2) * H + h]).as("%s of the empty row", state).isZero();
                    assertThat(actual.get(state)[(d * 3 + 1) * H + h]).as("%s of the row of length 1", state).isNotZero();
                }
            }
        }
    }

    @Test
    void fullLengthConstantSequenceLensNeedNoMasks() {
        Rnn rnn = Rnn.of("GRU", direction("bidirectional")).fullSequenceLens();
        ModelProto unrolled = unrollAll(rnn.build(F), rnn.shapes());
        assertThat(unrolled.getGraph().getNodeList()).extracting(NodeProto::getOpType).doesNotContain("Less", "Where");
    }

    /**
     * Lengths computed inside the model from the zero padding of x, as converted Keras masking layers do: the
     * gradient model reproduces the output and gives padded steps no gradient.
     */
    @Test
    void lengthsComputedFromPaddingInsideTheModel() throws OrtException {
        ModelProto m = TestGraph.of(F).input("x", T, 3, I).weights("W", 2, 4 * H, I).weights("R", 2, 4 * H, H)
                .node("Abs", "x", "abs").node("ReduceMax", "abs,axis2", "peak", of("keepdims", 0L))
                .ints("axis2", 2).node("Greater", "peak,zero", "present").values("zero", new double[] {0})
                .node("Cast", "present", "steps", of("to", (long) DataType.INT32_VALUE))
                .ints("axis0", 0).node("ReduceSum", "steps,axis0", "lens", of("keepdims", 0L))
                .node("LSTM", "x,W,R,,lens", "y,yh", of("hidden_size", (long) H), direction("bidirectional"))
                .output("yh").build();
        int[] lengths = {T, 1, T - 2};
        double[] x = RuleCheck.sample(new Random(5), T * 3 * I, 0.2, false);
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < 3; b++) {
                if (t >= lengths[b]) {
                    Arrays.fill(x, (t * 3 + b) * I, (t * 3 + b + 1) * I, 0);
                }
            }
        }
        GradientModel gm = GradientGraphBuilder.forModel(m).inputShapes(Map.of("x", new int[] {T, 3, I}))
                .output("yh").wrt("x").build(RuleCheck.ENV);
        double[] seed = RuleCheck.sample(new Random(6), 2 * 3 * H, 0, false);
        Map<String, double[]> result = run(gm.model(), Map.of("x", new int[] {T, 3, I}, gm.seedInput(),
                gm.seedShape(3)), Map.of("x", x, gm.seedInput(), seed));
        assertClose(Map.of("yh", result.get("yh")), run(m, Map.of("x", new int[] {T, 3, I}), Map.of("x", x)), m);
        double[] dx = result.get(gm.gradientOutputs().get("x"));
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < 3; b++) {
                double norm = 0;
                for (int i = 0; i < I; i++) {
                    norm += Math.abs(dx[(t * 3 + b) * I + i]);
                }
                assertThat(norm == 0).as("gradient at step %d of row %d: %s", t, b, norm).isEqualTo(t >= lengths[b]);
            }
        }
    }

    static Stream<Arguments> gradientCases() {
        Rnn bidirectional = Rnn.of("LSTM", direction("bidirectional")).lengths(T, 1, T - 2).states();
        Rnn emptyRow = Rnn.of("LSTM", direction("reverse")).lengths(T - 1, 0, 2).states().peepholes();
        return Stream.of(
                Arguments.of("LSTM forward, seed Y, wrt x", Rnn.of("LSTM").lengths(T, 1, T - 2).check().output("y")),
                Arguments.of("LSTM forward, seed Y_h, wrt x h0 c0",
                        Rnn.of("LSTM").lengths(T, 1, T - 2).states().check().output("yh")),
                Arguments.of("LSTM reverse, seed Y_c, wrt x c0",
                        Rnn.of("LSTM", direction("reverse")).lengths(T, 1, T - 2).states().check().output("yc")
                                .wrt("x", "c0")),
                Arguments.of("LSTM bidirectional, seed Y, wrt x h0", bidirectional.check().output("y").wrt("x", "h0")),
                Arguments.of("LSTM bidirectional, seed Y_h, wrt h0", bidirectional.check().output("yh").wrt("h0")),
                Arguments.of("LSTM bidirectional, seed Y_c, wrt x", bidirectional.check().output("yc").wrt("x")),
                Arguments.of("LSTM reverse peepholes with an empty row, seed Y_h, wrt x h0",
                        emptyRow.check().output("yh").wrt("x", "h0")),
                Arguments.of("LSTM reverse peepholes with an empty row, seed Y_c, wrt c0",
                        emptyRow.check().output("yc").wrt("c0")),
                Arguments.of("GRU forward, seed Y, wrt x h0", Rnn.of("GRU").lengths(T, 1, T - 2).states().check()
                        .output("y")),
                Arguments.of("GRU linear_before_reset 1 bidirectional, seed Y_h, wrt x h0",
                        Rnn.of("GRU", of("linear_before_reset", 1L), direction("bidirectional")).lengths(1, T, 0)
                                .states().check().output("yh")),
                Arguments.of("RNN reverse, seed Y, wrt x h0",
                        Rnn.of("RNN", direction("reverse")).lengths(T, 1, T - 2).states().check().output("y")),
                Arguments.of("RNN bidirectional, seed Y_h, wrt x h0",
                        Rnn.of("RNN", direction("bidirectional")).lengths(T - 1, 2, 0).states().check().output("yh")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCases")
    void gradientMatchesFiniteDifferences(String name, RuleCheck check) {
        check.run(name);
    }

    /**
     * Built for batch 2 with lengths of zeros (the probe), exported, then run on batch 3 with other lengths. The
     * batch axis comes first in every input (ONNX Runtime runs recurrent ops in layout 0 only, hence the Transposes).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("otherBatchCases")
    void gradientModelRunsWithAnotherBatchSizeAndOtherLengths(String output) {
        RuleCheck.of(t -> TestGraph.of(t).input("x", -1, T, I).typedInput("lens", DataType.INT32_VALUE, -1)
                        .input("h0", -1, 2, H).input("c0", -1, 2, H)
                        .weights("W", 2, 4 * H, I).weights("R", 2, 4 * H, H).weights("B", 2, 8 * H)
                        .node("Transpose", "x", "xt", of("perm", 1L, 0L, 2L))
                        .node("Transpose", "h0", "h0t", of("perm", 1L, 0L, 2L))
                        .node("Transpose", "c0", "c0t", of("perm", 1L, 0L, 2L))
                        .node("LSTM", "xt,W,R,B,lens,h0t,c0t", "y,yh,yc", of("hidden_size", (long) H),
                                direction("bidirectional"))
                        .output("y").output("yh").output("yc").build())
                .shape("x", 2, T, I).shape("lens", 2).shape("h0", 2, 2, H).shape("c0", 2, 2, H)
                .runShape("x", 3, T, I).runShape("lens", 3).runShape("h0", 3, 2, H).runShape("c0", 3, 2, H)
                .fixed("lens", 1, T, 2).output(output).run();
    }

    static Stream<String> otherBatchCases() {
        return Stream.of("y", "yh", "yc");
    }
}
