package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.spi.Dim;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicBatchTest {
    @TempDir
    Path dir;

    @Test
    void rewriteTurnsTheLeadingReshapeOneIntoZeroAndClearsValueInfo() {
        ModelProto original = TestModels.fixedBatchCnn(false);
        ModelProto rewritten = BatchRewriter.rewrite(original, false);
        NodeProto reshape = rewritten.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Reshape")).findFirst().orElseThrow();
        long[] shape = Graphs.constant(rewritten.getGraph(), reshape.getInput(1)).flatMap(Graphs::integerValues)
                .orElseThrow();
        assertThat(shape).containsExactly(0, -1);
        assertThat(rewritten.getGraph().getValueInfoCount()).isZero();
        assertThat(rewritten.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam())
                .isEqualTo(BatchRewriter.BATCH);
        assertThat(rewritten.getGraph().getInitializerList()).noneMatch(t -> t.getName().equals("flat_shape"));
        assertThat(original.getGraph().getValueInfoCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fixedBatchCnnBecomesDynamicAndMatchesTheReference(boolean shapeFromConstantNode) {
        Path file = TestModels.write(TestModels.fixedBatchCnn(shapeFromConstantNode), dir, "cnn.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThat(model.batchMode()).isEqualTo(OnnxModel.BatchMode.REWRITTEN);
            assertThat(model.capabilities()).contains(ModelCapability.DYNAMIC_BATCH);
            assertThat(model.signature().firstInput().shape().get(0)).isEqualTo(Dim.symbolic("batch"));
            Tensor x = OnnxModelTest.random(7, 5, 1, 4, 4);
            Tensor probs = model.forward(Map.of("x", x)).get("probs");
            assertThat(probs.shape()).containsExactly(5, 3);
            for (int r = 0; r < 5; r++) {
                float[] expected = Reference.cnnRow(x.row(r));
                for (int o = 0; o < 3; o++) {
                    assertThat((double) probs.at(r, o)).isCloseTo(expected[o], within(1e-5));
                }
            }
        }
    }

    @Test
    void expandOfAConstantFollowsTheRuntimeBatch() {
        Path file = TestModels.write(TestModels.fixedBatchClassToken(), dir, "cls.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThat(model.batchMode()).isEqualTo(OnnxModel.BatchMode.REWRITTEN);
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 2, 2, 2);
            assertThat(model.forward(Map.of("x", x)).get("y"))
                    .isEqualTo(Tensor.of(new float[] {5, 6, 1, 2, 3, 4, 5, 6, 10, 20, 30, 40}, 2, 3, 2));
        }
    }

    @Test
    void unrewritableFixedBatchRunsRowByRow() {
        Path file = TestModels.write(TestModels.fixedBatchAllowZeroReshape(), dir, "allowzero.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThat(model.batchMode()).isEqualTo(OnnxModel.BatchMode.SEQUENTIAL);
            assertThat(model.capabilities()).doesNotContain(ModelCapability.DYNAMIC_BATCH);
            Tensor x = Tensor.of(new float[] {-1, 2, -3, 4, -5, 6, 7, -8, 9}, 3, 3);
            assertThat(model.forward(Map.of("x", x)).get("y"))
                    .isEqualTo(Tensor.of(new float[] {0, 2, 0, 4, 0, 6, 7, 0, 9}, 3, 3));
        }
    }

    @Test
    void aFixedBatchOfThreeBecomesDynamic() {
        Path file = TestModels.write(TestModels.fixedBatchOfThree(), dir, "three.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThat(model.batchMode()).isEqualTo(OnnxModel.BatchMode.REWRITTEN);
            assertThat(model.fixedBatch()).isEqualTo(3);
            for (int rows : new int[] {1, 3, 5}) {
                Tensor x = OnnxModelTest.random(rows, rows, 2);
                Tensor y = model.forward(Map.of("x", x)).get("y");
                assertThat(y.shape()).containsExactly(rows, 2);
                for (int i = 0; i < y.size(); i++) {
                    assertThat(y.get(i)).isEqualTo(2 * x.get(i));
                }
            }
        }
    }

    @Test
    void anUnrewritableFixedBatchOfIndependentRowsRunsInChunksOfThatBatch() {
        Path file = TestModels.write(TestModels.fixedBatchAllowZeroReshape(3), dir, "allowzero3.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThat(model.batchMode()).isEqualTo(OnnxModel.BatchMode.SEQUENTIAL);
            for (int rows : new int[] {1, 3, 4, 7}) {
                Tensor x = OnnxModelTest.random(rows, rows, 3);
                Tensor y = model.forward(Map.of("x", x)).get("y");
                assertThat(y.shape()).containsExactly(rows, 3);
                for (int i = 0; i < y.size(); i++) {
                    assertThat(y.get(i)).isEqualTo(Math.max(x.get(i), 0f));
                }
            }
            Tensor x = OnnxModelTest.random(9, 4, 3);
            Tensor seed = OnnxModelTest.random(10, 4, 3);
            GradientResult r = model.gradients().orElseThrow().vjp(new GradientRequest(Map.of("x", x), "y", seed,
                    Set.of("x"), Set.of(), GradientRequest.EXACT, false));
            Tensor g = r.gradients().get("x");
            assertThat(g.shape()).containsExactly(4, 3);
            for (int i = 0; i < g.size(); i++) {
                assertThat(g.get(i)).isEqualTo(x.get(i) > 0 ? seed.get(i) : 0f);
            }
        }
    }

    @Test
    void aFixedBatchWhoseRowsDependOnEachOtherRunsThatBatchOnly() {
        Path file = TestModels.write(TestModels.fixedBatchTranspose(), dir, "transpose.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThat(model.batchMode()).isEqualTo(OnnxModel.BatchMode.FIXED);
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
            assertThat(model.forward(Map.of("x", x)).get("y")).isEqualTo(Tensor.of(new float[] {1, 3, 2, 4}, 2, 2));
            assertThatThrownBy(() -> model.forward(Map.of("x", Tensor.zeros(3, 2))))
                    .isInstanceOfSatisfying(XaiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                    .hasMessageContaining("runs batches of exactly 2 rows, got 3")
                    .hasMessageContaining("rows depend on each other");
        }
    }

    @Test
    void intermediatesAndLayersFollowTheBatch() {
        Path file = TestModels.write(TestModels.fixedBatchCnn(true), dir, "cnn.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            Tensor x = OnnxModelTest.random(8, 2, 1, 4, 4);
            Map<String, Tensor> out = model.forward(Map.of("x", x), Set.of("relu_out", "conv_out", "probs"));
            assertThat(out.get("conv_out").shape()).containsExactly(2, 2, 4, 4);
            Tensor relu = out.get("relu_out");
            for (int i = 0; i < relu.size(); i++) {
                assertThat(relu.get(i)).isEqualTo(Math.max(out.get("conv_out").get(i), 0f));
            }
            assertThat(out.get("probs")).isEqualTo(model.forward(Map.of("x", x)).get("probs"));

            List<LayerInfo> layers = model.layers(Map.of("x", new int[] {3, 1, 4, 4}));
            assertThat(layers).extracting(LayerInfo::tensor)
                    .containsExactly("conv_out", "relu_out", "flat", "logits", "probs");
            assertThat(layers.get(0).opType()).isEqualTo("Conv");
            assertThat(layers.get(0).node()).isEqualTo("conv");
            assertThat(layers.get(2).shape()).containsExactly(3L, 32L);
            assertThat(layers.get(4).shape()).containsExactly(3L, 3L);
        }
    }

    @Test
    void inspectorReportsOpsetProducerAndLayers() {
        Path file = TestModels.write(TestModels.fixedBatchCnn(false), dir, "cnn.onnx");
        ModelInspection inspection = OnnxInspector.inspect(file, null);
        assertThat(inspection.opset()).isEqualTo(17);
        assertThat(inspection.irVersion()).isEqualTo(8);
        assertThat(inspection.producer()).isEqualTo("xai4j-tests 1");
        assertThat(inspection.batchMode()).isEqualTo("rewritten");
        assertThat(inspection.inputs().get(0).shapeString()).isEqualTo("[batch,1,4,4]");
        assertThat(inspection.outputs().get(0).name()).isEqualTo("probs");
        assertThat(inspection.layers()).extracting(LayerInfo::tensor)
                .containsExactly("conv_out", "relu_out", "flat", "logits", "probs");
        assertThat(inspection.layers().get(1).shape()).containsExactly(1L, 2L, 4L, 4L);
        assertThat(inspection.info().source()).isEqualTo("cnn.onnx");
    }
}
