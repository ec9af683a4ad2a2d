package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.grad.external.GuidedBackpropRuleSet;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientGraphBuilderTest {
    private static final int F = DataType.FLOAT_VALUE;

    private static ModelProto convRelu() {
        return TestGraph.of(F).input("x", -1, 2, 4, 4).weights("w", 3, 2, 3, 3)
                .node("Conv", "x,w", "h", of("pads", 1L, 1, 1, 1)).node("Relu", "h", "y").output("y").build();
    }

    private static Tensor random(Random r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) (r.nextDouble() * 2 - 1));
        }
        return t;
    }

    @Test
    void unsupportedOpNamesOpTypeNodeAndMethodsThatStillWork() {
        ModelProto m = TestGraph.of(F).input("x", 2, 3, 3).node("Det", "x", "y").output("y").build();
        assertThatThrownBy(() -> GradientGraphBuilder.forModel(m).inputShapes(Map.of("x", new int[] {2, 3, 3})).wrt("x")
                .build(RuleCheck.ENV))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OP))
                .hasMessageContaining("op Det").hasMessageContaining("det_0")
                .hasMessageContaining("occlusion").hasMessageContaining("eigen-cam");
    }

    @Test
    void unknownTensorListsCloseNames() {
        assertThatThrownBy(() -> GradientGraphBuilder.forModel(convRelu()).inputShapes(Map.of("x", new int[] {1, 2, 4, 4}))
                .wrt("hh").build(RuleCheck.ENV))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                .hasMessageContaining("'hh'").hasMessageContaining("h");
    }

    @Test
    void unknownRuleSetListsAvailableSets() {
        assertThatThrownBy(() -> GradientGraphBuilder.forModel(convRelu()).inputShapes(Map.of("x", new int[] {1, 2, 4, 4}))
                .wrt("x").ruleSet("nope").build(RuleCheck.ENV))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("nope").hasMessageContaining("exact").hasMessageContaining(GuidedBackpropRuleSet.NAME);
    }


    @Test
    void intermediateGradientAndActivationThroughSession() {
        GradientModel gm = GradientGraphBuilder.forModel(convRelu()).inputShapes(Map.of("x", new int[] {1, 2, 4, 4}))
                .wrt("h", "x").activations(java.util.List.of("h")).build(RuleCheck.ENV);
        assertThat(gm.gradientOutputs()).containsEntry("h", "grad:h").containsEntry("x", "grad:x");
        Random r = new Random(3);
        Tensor x = random(r, 2, 2, 4, 4);
        Tensor seed = random(r, gm.seedShape(2));
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                GradientSession session = GradientSession.open(RuleCheck.ENV, opts, gm)) {
            GradientResult res = session.run(Map.of("x", x), seed);
            Tensor h = res.activations().get("h");
            Tensor gh = res.gradients().get("h");
            Tensor y = res.outputs().get("y");
            assertThat(h.shape()).containsExactly(2, 3, 4, 4);
            int positives = 0;
            for (int i = 0; i < h.size(); i++) {
                float expected = h.get(i) > 0 ? seed.get(i) : 0f;
                positives += h.get(i) > 0 ? 1 : 0;
                assertThat(gh.get(i)).isEqualTo(expected);
                assertThat(y.get(i)).isEqualTo(Math.max(h.get(i), 0f));
            }
            assertThat(positives).isBetween(1, h.size() - 1);
            assertThat(res.gradients().get("x").shape()).containsExactly(2, 2, 4, 4);
            assertThatThrownBy(() -> session.run(Map.of("x", x), Tensor.zeros(2, 3, 4, 5)))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                    .hasMessageContaining("[2, 3, 4, 4]");
        }
    }

    @Test
    void seedsTheLogitsBeforeATrailingSoftmax() {
        double[] w = {1, 2, 3, -1, 0.5, 0};
        ModelProto m = TestGraph.of(F).input("x", -1, 3).values("w", w, 2, 3)
                .node("Gemm", "x,w", "logits", of("transB", 1L)).node("Softmax", "logits", "y").output("y").build();
        GradientModel gm = GradientGraphBuilder.forModel(m).inputShapes(Map.of("x", new int[] {1, 3})).wrt("x")
                .build(RuleCheck.ENV);
        assertThat(gm.seededTensor()).isEqualTo("logits");
        assertThat(gm.differentiatedOutput()).isEqualTo("y");
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                GradientSession session = GradientSession.open(RuleCheck.ENV, opts, gm)) {
            Tensor seed = Tensor.of(new float[] {0, 1, 1, 0}, 2, 2);
            Tensor gx = session.run(Map.of("x", Tensor.full(0.5f, 2, 3)), seed).gradients().get("x");
            assertThat(gx.toArray()).containsExactly(-1f, 0.5f, 0f, 1f, 2f, 3f);
        }
        GradientModel through = GradientGraphBuilder.forModel(m).inputShapes(Map.of("x", new int[] {1, 3})).wrt("x")
                .differentiateThroughSoftmax(true).build(RuleCheck.ENV);
        assertThat(through.seededTensor()).isEqualTo("y");
    }

    @Test
    void emitsBackwardNodesOnlyOnPathsToTheRequestedTensors() {
        ModelProto m = TestGraph.of(F).input("x", 2, 3).input("z", 2, 3).node("Sigmoid", "z", "s")
                .node("Tanh", "s", "t").node("Exp", "x", "e").node("Mul", "e,t", "y").output("y").build();
        Map<String, int[]> shapes = Map.of("x", new int[] {2, 3}, "z", new int[] {2, 3});
        GradientModel onlyX = GradientGraphBuilder.forModel(m).inputShapes(shapes).wrt("x").build(RuleCheck.ENV);
        GradientModel both = GradientGraphBuilder.forModel(m).inputShapes(shapes).wrt("x", "z").build(RuleCheck.ENV);
        long backwardOnlyX = onlyX.model().getGraph().getNodeList().stream().filter(n -> n.getName().startsWith("grad/")).count();
        long backwardBoth = both.model().getGraph().getNodeList().stream().filter(n -> n.getName().startsWith("grad/")).count();
        assertThat(backwardOnlyX).isLessThan(backwardBoth);
        assertThat(onlyX.model().getGraph().getNodeList().stream().filter(n -> n.getName().startsWith("grad/"))
                .flatMap(n -> n.getInputList().stream())).doesNotContain("s").doesNotContain("z");
    }

    @Test
    void guidedRuleSetFromServiceLoaderReplacesRelu() {
        GradientModel exact = GradientGraphBuilder.forModel(convRelu()).inputShapes(Map.of("x", new int[] {1, 2, 4, 4}))
                .wrt("h").build(RuleCheck.ENV);
        GradientModel guided = GradientGraphBuilder.forModel(convRelu()).inputShapes(Map.of("x", new int[] {1, 2, 4, 4}))
                .wrt("h").ruleSet(GuidedBackpropRuleSet.NAME).build(RuleCheck.ENV);
        Random r = new Random(5);
        Tensor x = random(r, 1, 2, 4, 4);
        Tensor seed = random(r, 1, 3, 4, 4);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                GradientSession e = GradientSession.open(RuleCheck.ENV, opts, exact);
                GradientSession g = GradientSession.open(RuleCheck.ENV, opts, guided)) {
            Tensor ge = e.run(Map.of("x", x), seed).gradients().get("h");
            Tensor gg = g.run(Map.of("x", x), seed).gradients().get("h");
            int differing = 0;
            for (int i = 0; i < ge.size(); i++) {
                assertThat(gg.get(i)).isEqualTo(seed.get(i) < 0 ? 0f : ge.get(i));
                differing += gg.get(i) != ge.get(i) ? 1 : 0;
            }
            assertThat(differing).isPositive();
        }
    }

    @Test
    void exportedModelLoadsAndRunsInAFreshSession(@TempDir Path dir) throws OrtException {
        GradientModel gm = GradientGraphBuilder.forModel(convRelu()).inputShapes(Map.of("x", new int[] {1, 2, 4, 4}))
                .wrt("x").build(RuleCheck.ENV);
        Path file = dir.resolve("gradient.onnx");
        gm.save(file);
        Random r = new Random(9);
        Tensor x = random(r, 3, 2, 4, 4);
        Tensor seed = random(r, gm.seedShape(3));
        Tensor expected;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                GradientSession s = GradientSession.open(RuleCheck.ENV, opts, gm)) {
            expected = s.run(Map.of("x", x), seed).gradients().get("x");
        }
        try (OrtSession fresh = RuleCheck.ENV.createSession(file.toString());
                OnnxTensor xt = OnnxTensor.createTensor(RuleCheck.ENV, FloatBuffer.wrap(x.toArray()), new long[] {3, 2, 4, 4});
                OnnxTensor st = OnnxTensor.createTensor(RuleCheck.ENV, FloatBuffer.wrap(seed.toArray()),
                        new long[] {3, 3, 4, 4});
                OrtSession.Result res = fresh.run(Map.of("x", xt, GradientGraphBuilder.SEED, st))) {
            float[] got = ((OnnxTensor) res.get("grad:x").get()).getFloatBuffer().array();
            assertThat(got).hasSize(expected.size());
            float norm = 0;
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).isCloseTo(expected.get(i), within(1e-6f));
                norm += Math.abs(got[i]);
            }
            assertThat(norm).isPositive();
        }
    }

    @Test
    void integerTensorsCannotBeDifferentiated() {
        ModelProto m = TestGraph.of(F).typedInput("ids", DataType.INT64_VALUE, 2).weights("table", 5, 3)
                .node("Gather", "table,ids", "y").output("y").build();
        assertThatThrownBy(() -> GradientGraphBuilder.forModel(m).wrt("ids").build(RuleCheck.ENV))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'ids'").hasMessageContaining("INT64");
    }

    @Test
    void missingShapeOfADynamicInputIsReported() {
        assertThatThrownBy(() -> GradientGraphBuilder.forModel(convRelu()).wrt("x").build(RuleCheck.ENV))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'x'");
    }

    @Test
    void unknownOutputIsAnUnknownTarget() {
        assertThatThrownBy(() -> GradientGraphBuilder.forModel(convRelu()).inputShapes(Map.of("x", new int[] {1, 2, 4, 4}))
                .wrt("x").output("logits").build(RuleCheck.ENV))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TARGET))
                .hasMessageContaining("logits").hasMessageContaining("[y]");
    }
}
