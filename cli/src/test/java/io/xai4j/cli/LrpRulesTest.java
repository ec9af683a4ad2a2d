package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.grad.GradientExport;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lrp} rule set against {@link LiteralLrp}, LRP written out with loops, on a small random Conv-ReLU-Gemm
 * network with biases: one test per rule, each rule on both layers (the box rule on the first, epsilon on the
 * second); then LRP-epsilon with epsilon near 0 against input x gradient, BatchNormalization folding, conservation
 * through a residual block and a Concat, and signal-take-all through an LSTM and a GRU.
 */
class LrpRulesTest {
    private static final int CHANNELS = 2;
    private static final int SIZE = 4;
    private static final int TARGET = 2;
    private static final int STEPS = 6;
    private static final int FEATURES = 3;
    private static final int CLASSES = 2;
    private static final String PARAMETERS = ",epsilon=0.05,gamma=0.3,alpha=2,beta=1,stabilizer=1e-6,low=-1:-2,"
            + "high=1.5:2.5";

    @TempDir
    Path dir;

    @Test
    void epsilon() throws Exception {
        checkRule("epsilon", "epsilon", "epsilon");
    }

    @Test
    void gamma() throws Exception {
        checkRule("gamma", "gamma", "gamma");
    }

    @Test
    void zPlus() throws Exception {
        checkRule("z-plus", "z-plus", "z-plus");
    }

    @Test
    void alphaBeta() throws Exception {
        checkRule("alpha-beta", "alpha-beta", "alpha-beta");
    }

    @Test
    void flat() throws Exception {
        checkRule("flat", "flat", "flat");
    }

    @Test
    void wSquare() throws Exception {
        checkRule("w-square", "w-square", "w-square");
    }

    @Test
    void boxOnTheFirstLayer() throws Exception {
        checkRule("first:box;default:epsilon", "box", "epsilon");
    }

    @Test
    void compositeByOpType() throws Exception {
        checkRule("epsilon-plus", "box", "epsilon");
        checkRule("Conv:gamma;Gemm:z-plus", "gamma", "z-plus");
        checkRule("Conv:gamma;Gemm:flat", "gamma", "flat");
    }

    /**
     * The gamma rule of a convolution that only a Relu reads, whose reader passes relevance in proportion to its
     * input, needs the input gradients of the positive outputs only (negative outputs get no relevance); under a flat
     * reader, which gives zero inputs relevance too, it needs those of the negative outputs as well ({@link #compositeByOpType} checks both
     * against the literal rules).
     */
    @Test
    void gammaSkipsTheNegativeOutputsWhenTheyGetNoRelevance() throws Exception {
        Path file = new LrpNet(11, CHANNELS, SIZE, 3, 4, true, false).write(dir, "net-gamma");
        // the signed input takes two passes per weight set: x+ and x- through the favoured and the other weights
        assertThat(backwardConvolutions(file, "Conv:gamma;Gemm:epsilon")).isEqualTo(4);
        assertThat(backwardConvolutions(file, "Conv:gamma;Gemm:flat")).isEqualTo(6);
    }

    /** The convolutions of the input's gradient graph under {@code composite} but the forward one. */
    private static long backwardConvolutions(Path file, String composite) {
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            GradientModel gradients = GradientExport.build(model, new GradientExport.Settings(List.of("x"), List.of(),
                    null, List.of(), "lrp:composite=" + composite, false, Map.of()));
            return gradients.model().getGraph().getNodeList().stream()
                    .filter(n -> n.getOpType().startsWith("Conv")).count() - 1;
        }
    }

    @Test
    void batchNormalizationIsFoldedIntoTheConvolution() throws Exception {
        LrpNet net = new LrpNet(5, CHANNELS, SIZE, 3, 4, true, true);
        assertMatches(net, "Conv:z-plus;Gemm:epsilon", "z-plus", "epsilon");
        assertMatches(net, "Conv:alpha-beta;Gemm:epsilon", "alpha-beta", "epsilon");
    }

    @Test
    void epsilonNearZeroOnAZeroBiasReluNetIsInputTimesGradient() throws Exception {
        LrpNet net = new LrpNet(3, CHANNELS, SIZE, 3, 4, false, false);
        Path file = net.write(dir, "zero-bias");
        Tensor x = input(net.inputSize, 9);
        Tensor relevance = Fixtures.vjp(file, "lrp:composite=epsilon,epsilon=1e-9", x, seed(4, TARGET));
        Tensor gradient = Fixtures.vjp(file, "exact", x, seed(4, TARGET));
        double[] expected = new double[net.inputSize];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = x.get(i) * gradient.get(i);
        }
        assertClose(relevance, expected, 1e-5);
    }

    @Test
    void relevanceIsConservedThroughAResidualBlockAndAConcat() throws Exception {
        Random random = new Random(17);
        int hidden = 2 * CHANNELS * SIZE * SIZE;
        GraphProto.Builder g = GraphProto.newBuilder().setName("residual")
                .addInput(LrpNet.input("x", -1, CHANNELS, SIZE, SIZE)).addOutput(LrpNet.output("y"))
                .addInitializer(LrpNet.floats("wa", LrpNet.uniform(random, CHANNELS * CHANNELS * 9, 0.5),
                        CHANNELS, CHANNELS, 3, 3))
                .addInitializer(LrpNet.floats("wb", LrpNet.uniform(random, CHANNELS * CHANNELS * 9, 0.5),
                        CHANNELS, CHANNELS, 3, 3))
                .addInitializer(LrpNet.floats("head", LrpNet.uniform(random, 3 * hidden, 0.3), 3, hidden))
                .addNode(LrpNet.node("Conv", List.of("x", "wa"), "a").addAttribute(OnnxAttributes.of("pads", 1L, 1L, 1L, 1L)))
                .addNode(LrpNet.node("Relu", List.of("a"), "ra"))
                .addNode(LrpNet.node("Conv", List.of("ra", "wb"), "b").addAttribute(OnnxAttributes.of("pads", 1L, 1L, 1L, 1L)))
                .addNode(LrpNet.node("Add", List.of("ra", "b"), "sum"))
                .addNode(LrpNet.node("Relu", List.of("sum"), "rs"))
                .addNode(LrpNet.node("Concat", List.of("rs", "ra"), "cat").addAttribute(OnnxAttributes.of("axis", 1L)))
                .addNode(LrpNet.node("Flatten", List.of("cat"), "flat"))
                .addNode(LrpNet.node("Gemm", List.of("flat", "head"), "y").addAttribute(OnnxAttributes.of("transB", 1L)));
        Path file = dir.resolve("residual.onnx");
        Files.write(file, LrpNet.model(g).toByteArray());
        Tensor x = input(CHANNELS * SIZE * SIZE, 4);
        for (String composite : List.of("epsilon-plus", "epsilon-gamma-box", "epsilon-alpha2-beta1", "epsilon")) {
            for (int target = 0; target < 3; target++) {
                String reference = "lrp:composite=" + composite + ",epsilon=1e-9,stabilizer=1e-9,low=-3,high=3";
                Tensor relevance = Fixtures.vjp(file, reference, x, seed(3, target));
                double score = score(file, x, target);
                assertThat(sum(relevance)).as("%s, class %d (score %s)", composite, target, score)
                        .isCloseTo(score, within(1e-5 * Math.abs(score)));
            }
        }
    }

    @Test
    void lstmAndGruRelevanceOfAStepStaysOffLaterSteps() throws Exception {
        for (String op : new String[] {"LSTM", "GRU"}) {
            relevanceOfAStepStaysOffLaterSteps(recurrent(op, true));
        }
    }

    private void relevanceOfAStepStaysOffLaterSteps(Path file) throws Exception {
        Tensor x = input(STEPS * FEATURES, 8).reshape(1, STEPS, FEATURES);
        for (int t = 0; t < STEPS; t++) {
            Tensor relevance = Fixtures.vjp(file, "lrp:composite=epsilon", x, stepSeed(t));
            for (int s = 0; s < STEPS; s++) {
                double stepAbs = 0;
                for (int f = 0; f < FEATURES; f++) {
                    stepAbs += Math.abs(relevance.get(s * FEATURES + f));
                }
                String what = file.getFileName() + ": relevance of step " + s + " for the output at step " + t;
                if (s > t) {
                    assertThat(stepAbs).as(what).isZero();
                } else {
                    assertThat(stepAbs).as(what).isPositive();
                }
            }
        }
    }

    @Test
    void signalTakeAllConservesRelevanceThroughAnLstmAndAGruWithoutBiases() throws Exception {
        for (String op : new String[] {"LSTM", "GRU"}) {
            conservesThroughTime(recurrent(op, false));
        }
    }

    private void conservesThroughTime(Path file) throws Exception {
        Tensor x = input(STEPS * FEATURES, 8).reshape(1, STEPS, FEATURES);
        for (int t = 0; t < STEPS; t++) {
            Tensor relevance = Fixtures.vjp(file, "lrp:composite=epsilon,epsilon=1e-9,stabilizer=1e-9", x,
                    stepSeed(t));
            double score = 0;
            try (io.xai4j.spi.Model model = io.xai4j.inject.Xai4j.injector()
                    .getInstance(io.xai4j.api.ModelOpener.class).open(file, io.xai4j.spi.ModelOptions.defaults())) {
                score = model.forward(java.util.Map.of("x", x)).get("y").get(t * CLASSES + 1);
            }
            assertThat(sum(relevance)).as("%s, step %d (score %s)", file.getFileName(), t, score).isCloseTo(score,
                    within(1e-5 * Math.abs(score)));
        }
    }

    private static Tensor stepSeed(int t) {
        Tensor seed = Tensor.zeros(1, STEPS, CLASSES);
        seed.set(t * CLASSES + 1, 1f);
        return seed;
    }

    /** x [N,T,F] -> LSTM or GRU (with or without biases) -> per-step MatMul head -> y [N,T,C]. */
    private Path recurrent(String op, boolean biases) throws Exception {
        int units = 4;
        int gates = op.equals("LSTM") ? 4 : 3;
        Random random = new Random(23);
        GraphProto.Builder g = GraphProto.newBuilder().setName(op)
                .addInput(LrpNet.input("x", -1, STEPS, FEATURES)).addOutput(LrpNet.output("y"))
                .addInitializer(LrpNet.floats("W", LrpNet.uniform(random, gates * units * FEATURES, 0.6), 1,
                        gates * units, FEATURES))
                .addInitializer(LrpNet.floats("R", LrpNet.uniform(random, gates * units * units, 0.6), 1,
                        gates * units, units))
                .addInitializer(LrpNet.floats("B", LrpNet.uniform(random, 2 * gates * units, 0.4), 1,
                        2 * gates * units))
                .addInitializer(LrpNet.floats("head", LrpNet.uniform(random, units * CLASSES, 0.8), units, CLASSES))
                .addInitializer(io.xai4j.onnx.grad.OnnxTensors.ofLongs("axis1", new long[] {1}, 1))
                .addNode(LrpNet.node("Transpose", List.of("x"), "xt").addAttribute(OnnxAttributes.of("perm", 1L, 0L, 2L)))
                .addNode(LrpNet.node(op, biases ? List.of("xt", "W", "R", "B") : List.of("xt", "W", "R"), "hs")
                        .addAttribute(OnnxAttributes.of("hidden_size", (long) units)))
                .addNode(LrpNet.node("Squeeze", List.of("hs", "axis1"), "h"))
                .addNode(LrpNet.node("Transpose", List.of("h"), "ht").addAttribute(OnnxAttributes.of("perm", 1L, 0L, 2L)))
                .addNode(LrpNet.node("MatMul", List.of("ht", "head"), "y"));
        Path file = dir.resolve(op.toLowerCase() + (biases ? "" : "-without-biases") + ".onnx");
        Files.write(file, LrpNet.model(g).toByteArray());
        return file;
    }

    private void checkRule(String composite, String firstRule, String secondRule) throws Exception {
        assertMatches(new LrpNet(11, CHANNELS, SIZE, 3, 4, true, false), composite, firstRule, secondRule);
    }

    private void assertMatches(LrpNet net, String composite, String firstRule, String secondRule) throws Exception {
        Path file = net.write(dir, "net-" + Math.abs(composite.hashCode()));
        Tensor x = input(net.inputSize, 1);
        Tensor relevance = Fixtures.vjp(file, "lrp:composite=" + composite + PARAMETERS, x, seed(4, TARGET));
        double[] low = new double[net.inputSize];
        double[] high = new double[net.inputSize];
        int pixels = SIZE * SIZE;
        for (int i = 0; i < low.length; i++) {
            low[i] = i < pixels ? -1 : -2;
            high[i] = i < pixels ? 1.5 : 2.5;
        }
        double[] xs = new double[net.inputSize];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = x.get(i);
        }
        double[] expected = new LiteralLrp(0.05, 0.3, 2, 1, 1e-6, low, high)
                .relevance(net.layers, xs, TARGET, new String[] {firstRule, secondRule});
        assertClose(relevance, expected, 1e-4);
    }

    private static void assertClose(Tensor actual, double[] expected, double tolerance) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).isPositive();
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual.get(i)).as("element %d", i).isCloseTo(expected[i], within(tolerance * scale));
        }
    }

    private static Tensor input(int size, long seed) {
        Random random = new Random(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return size == CHANNELS * SIZE * SIZE ? Tensor.of(v, 1, CHANNELS, SIZE, SIZE) : Tensor.of(v, 1, size);
    }

    private static Tensor seed(int classes, int target) {
        Tensor s = Tensor.zeros(1, classes);
        s.set(target, 1f);
        return s;
    }

    /** The target's logit, the relevance LRP starts from. */
    private static double score(Path file, Tensor x, int target) throws Exception {
        try (io.xai4j.spi.Model model = io.xai4j.inject.Xai4j.injector().getInstance(io.xai4j.api.ModelOpener.class)
                .open(file, io.xai4j.spi.ModelOptions.defaults())) {
            return model.forward(java.util.Map.of("x", x)).get("y").get(target);
        }
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.get(i);
        }
        return s;
    }
}
