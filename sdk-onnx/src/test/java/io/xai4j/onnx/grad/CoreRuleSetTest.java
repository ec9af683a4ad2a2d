package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtSession;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.grad.external.AttributeTypesRuleSet;
import io.xai4j.onnx.grad.external.DeconvnetRuleSet;
import io.xai4j.onnx.grad.external.DuplicateExactRuleSet;
import io.xai4j.onnx.grad.external.GuidedBackpropRuleSet;
import io.xai4j.onnx.grad.external.ScaledWeightsRuleSet;
import io.xai4j.onnx.grad.external.UnsupportedAttributeRuleSet;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import io.xai4j.tensor.Tensor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule sets written against the core SPI ({@code io.xai4j.spi.backward}), discovered and run by the builder. */
class CoreRuleSetTest {
    private static final int F = DataType.FLOAT_VALUE;
    private static final int N = 4;
    private static final int IN = 3;
    private static final int HIDDEN = 5;
    private static final int OUT = 2;

    private final Random random = new Random(11);
    private final double[] w = sample(IN * HIDDEN);
    private final double[] v = sample(HIDDEN * OUT);

    /** x[N,3] -> MatMul W[3,5] -> h -> Relu -> r -> MatMul V[5,2] -> z. */
    private ModelProto mlp() {
        return TestGraph.of(F).input("x", -1, IN).values("w", w, IN, HIDDEN).values("v", v, HIDDEN, OUT)
                .node("MatMul", "x,w", "h").node("Relu", "h", "r").node("MatMul", "r,v", "z").output("z").build();
    }

    private double[] sample(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = random.nextDouble() * 2 - 1;
        }
        return d;
    }

    private Tensor tensor(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) (random.nextDouble() * 2 - 1));
        }
        return t;
    }

    private static Tensor gradient(String ruleSet, ModelProto model, Map<String, int[]> shapes, Tensor x, Tensor seed) {
        GradientModel gm = GradientGraphBuilder.forModel(model).inputShapes(shapes).wrt("x").ruleSet(ruleSet)
                .build(RuleCheck.ENV);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                GradientSession session = GradientSession.open(RuleCheck.ENV, opts, gm)) {
            return session.run(Map.of("x", x), seed).gradients().get("x");
        }
    }

    /**
     * The gradient of x by hand: dr = seed V^T, dh = relu(dr, h), dx = dh W^T. Also asserts that every sign
     * combination of (h, dr) occurs, so that the rules are told apart.
     */
    private double[] byHand(Tensor x, Tensor seed, DoubleBinaryOperator relu) {
        double[] dx = new double[N * IN];
        Set<String> signs = new java.util.HashSet<>();
        for (int b = 0; b < N; b++) {
            for (int j = 0; j < HIDDEN; j++) {
                double h = 0;
                for (int i = 0; i < IN; i++) {
                    h += x.get(b * IN + i) * w[i * HIDDEN + j];
                }
                double dr = 0;
                for (int k = 0; k < OUT; k++) {
                    dr += seed.get(b * OUT + k) * v[j * OUT + k];
                }
                signs.add((h > 0) + "," + (dr > 0));
                double dh = relu.applyAsDouble(dr, h);
                for (int i = 0; i < IN; i++) {
                    dx[b * IN + i] += dh * w[i * HIDDEN + j];
                }
            }
        }
        assertThat(signs).hasSize(4);
        return dx;
    }

    private static void assertClose(Tensor actual, double[] expected) {
        assertThat(actual.shape()).containsExactly(N, IN);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual.get(i)).as("element %d", i).isCloseTo(expected[i], within(1e-5));
        }
    }

    @Test
    void guidedBackpropPassesPositiveGradientsThroughPositiveInputsOnly() {
        Tensor x = tensor(N, IN);
        Tensor seed = tensor(N, OUT);
        Tensor guided = gradient(GuidedBackpropRuleSet.NAME, mlp(), Map.of("x", new int[] {N, IN}), x, seed);
        assertClose(guided, byHand(x, seed, (dr, h) -> h > 0 && dr > 0 ? dr : 0));
    }

    @Test
    void deconvnetPassesPositiveGradientsWhateverTheInput() {
        Tensor x = tensor(N, IN);
        Tensor seed = tensor(N, OUT);
        Tensor deconv = gradient(DeconvnetRuleSet.NAME, mlp(), Map.of("x", new int[] {N, IN}), x, seed);
        assertClose(deconv, byHand(x, seed, (dr, h) -> Math.max(dr, 0)));
        Tensor exact = gradient(ExactRuleSet.NAME, mlp(),
                Map.of("x", new int[] {N, IN}), x, seed);
        assertClose(exact, byHand(x, seed, (dr, h) -> h > 0 ? dr : 0));
    }

    @Test
    void parametersGraphQueriesAndTheBaseBackwardWithSubstitutedInputs() {
        Tensor x = tensor(N, IN);
        Tensor seed = tensor(N, OUT);
        Tensor scaled = gradient(ScaledWeightsRuleSet.NAME + ":scale=3", mlp(), Map.of("x", new int[] {N, IN}), x,
                seed);
        Tensor seedTimesScore = Tensor.zeros(N, OUT);
        for (int b = 0; b < N; b++) {
            for (int k = 0; k < OUT; k++) {
                double z = 0;
                for (int j = 0; j < HIDDEN; j++) {
                    double h = 0;
                    for (int i = 0; i < IN; i++) {
                        h += x.get(b * IN + i) * w[i * HIDDEN + j];
                    }
                    z += Math.max(h, 0) * v[j * OUT + k];
                }
                seedTimesScore.set(b * OUT + k, (float) (seed.get(b * OUT + k) * z));
            }
        }
        double[] expected = byHand(x, seedTimesScore, (dr, h) -> h > 0 ? dr : 0);
        for (int i = 0; i < expected.length; i++) {
            expected[i] *= 9;
        }
        assertClose(scaled, expected);
    }

    @Test
    void everyAttributeValueTypeMakesAValidModel() {
        ModelProto model = TestGraph.of(F).input("x", -1, 2, 3).node("Transpose", "x", "y", of("perm", 0L, 2, 1))
                .output("y").build();
        GradientModel gm = GradientGraphBuilder.forModel(model).inputShapes(Map.of("x", new int[] {2, 2, 3}))
                .wrt("x").ruleSet(AttributeTypesRuleSet.NAME).build(RuleCheck.ENV);
        Set<AttributeType> types = gm.model().getGraph().getNodeList().stream()
                .filter(n -> n.getName().startsWith("grad/")).flatMap(n -> n.getAttributeList().stream())
                .map(AttributeProto::getType).collect(Collectors.toSet());
        assertThat(types).contains(AttributeType.INT, AttributeType.INTS, AttributeType.FLOAT, AttributeType.FLOATS,
                AttributeType.STRING, AttributeType.STRINGS, AttributeType.TENSOR);
        NodeProto leaky = gm.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("LeakyRelu"))
                .findFirst().orElseThrow();
        assertThat(leaky.getAttribute(0).getF()).isEqualTo((float) AttributeTypesRuleSet.ALPHA);

        Tensor x = tensor(3, 2, 3);
        Tensor seed = tensor(3, 3, 2);
        Tensor dx;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                GradientSession session = GradientSession.open(RuleCheck.ENV, opts, gm)) {
            dx = session.run(Map.of("x", x), seed).gradients().get("x");
        }
        assertThat(dx.shape()).containsExactly(3, 2, 3);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = seed.at(b, j, i);
                    double expected = AttributeTypesRuleSet.SCALE * (s > 0 ? s : AttributeTypesRuleSet.ALPHA * s);
                    assertThat((double) dx.at(b, i, j)).isCloseTo(expected, within(1e-6));
                }
            }
        }
    }

    @Test
    void anUnsupportedAttributeValueNamesTheAttributeTheOpAndTheAcceptedTypes() {
        ModelProto model = TestGraph.of(F).input("x", -1, 3).node("Relu", "x", "y").output("y").build();
        assertThatThrownBy(() -> GradientGraphBuilder.forModel(model).inputShapes(Map.of("x", new int[] {1, 3}))
                .wrt("x").ruleSet(UnsupportedAttributeRuleSet.NAME).build(RuleCheck.ENV))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_FAILURE))
                .hasMessageContaining("'alpha'").hasMessageContaining("Boolean").hasMessageContaining("LeakyRelu")
                .hasMessageContaining(UnsupportedAttributeRuleSet.NAME).hasMessageContaining("long[]");
    }

    @Test
    void coreRuleSetsAreListedWithTheBuiltInOnes() {
        assertThat(RuleSets.classPath().names()).contains("exact", GuidedBackpropRuleSet.NAME, DeconvnetRuleSet.NAME);
    }

    @Test
    void brokenOrClashingRuleSetsAreReportedWithoutStoppingTheOthers(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("io.xai4j.spi.backward.BackwardRuleSet"),
                DuplicateExactRuleSet.class.getName() + "\ncom.example.Missing\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                CoreRuleSetTest.class.getClassLoader())) {
            RuleSets found = RuleSets.available(loader, List.of());
            assertThat(found.names()).contains("exact", "test-guided");
            assertThat(found.identity("exact")).contains(ExactRuleSet.class.getName())
                    .doesNotContain(DuplicateExactRuleSet.class.getName());
            assertThat(found.problems()).anySatisfy(p -> assertThat(p).contains("'exact'")
                    .contains(ExactRuleSet.class.getName()).contains(DuplicateExactRuleSet.class.getName()));
            assertThat(found.problems()).anySatisfy(p -> assertThat(p).contains("com.example.Missing"));
        }
    }

    /** Rule sets given by the caller, as plugin jars give them, listed in no services file. */
    @Test
    void givenRuleSetsJoinTheClassPathOnesAndReachTheModelsGradients(@TempDir Path dir) throws Exception {
        RuleSets sets = RuleSets.with(List.of(new ZeroRelu(), new GuidedBackpropRuleSet()));
        assertThat(sets.names()).contains("exact", GuidedBackpropRuleSet.NAME, ZeroRelu.NAME);
        assertThat(sets.problems()).as("a class-path rule set given again counts once").isEmpty();
        assertThat(sets.identity(ZeroRelu.NAME)).startsWith("exact=" + ExactRuleSet.class.getName())
                .contains(ZeroRelu.NAME + "=" + ZeroRelu.class.getName());
        assertThat(RuleSets.with(List.of(new OtherZeroRelu())).identity(ZeroRelu.NAME))
                .as("the cache key tells same-named rule sets apart").isNotEqualTo(sets.identity(ZeroRelu.NAME));
        assertThatThrownBy(() -> RuleSets.classPath().require(ZeroRelu.NAME))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("unknown backward rule set '" + ZeroRelu.NAME + "'")
                .hasMessageContaining("available: ").hasMessageContaining("exact");

        Path file = Files.write(dir.resolve("mlp.onnx"), mlp().toByteArray());
        Tensor x = tensor(N, IN);
        Tensor seed = tensor(N, OUT);
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults().withRuleSets(List.of(new ZeroRelu())))) {
            assertThat(model.ruleSets().names()).contains(ZeroRelu.NAME);
            GradientEngine engine = model.gradients().orElseThrow();
            Tensor zeroed = engine.vjp(request(x, seed, ZeroRelu.NAME)).gradients().get("x");
            Tensor exact = engine.vjp(request(x, seed, GradientRequest.EXACT)).gradients().get("x");
            assertThat(zeroed.toArray()).containsOnly(0f);
            assertThat(exact.toArray()).as("exact gradients pass the open Relus").isNotEqualTo(new float[N * IN]);
        }
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThatThrownBy(() -> model.gradients().orElseThrow().vjp(request(x, seed, ZeroRelu.NAME)))
                    .hasMessageContaining("unknown backward rule set '" + ZeroRelu.NAME + "'");
        }
    }

    private static GradientRequest request(Tensor x, Tensor seed, String ruleSet) {
        return new GradientRequest(Map.of("x", x), "z", seed, Set.of("x"), Set.of(), ruleSet, false);
    }

    /** Relu passes no gradient. */
    public static final class ZeroRelu implements BackwardRuleSet {
        static final String NAME = "test-given-zero";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Map<String, BackwardRule> rules() {
            return Map.of("Relu", c -> List.of(c.zerosLike(c.input(0))));
        }
    }

    /** Another class under the same name. */
    public static final class OtherZeroRelu implements BackwardRuleSet {
        @Override
        public String name() {
            return ZeroRelu.NAME;
        }

        @Override
        public Map<String, BackwardRule> rules() {
            return Map.of();
        }
    }
}
