package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.spi.Dim;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {
    @TempDir
    Path dir;

    static Tensor random(long seed, int... shape) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextGaussian());
        }
        return t;
    }

    static void assertClose(Tensor actual, Tensor expected, double tol) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        for (int i = 0; i < expected.size(); i++) {
            assertThat((double) actual.get(i)).as("element %d", i).isCloseTo(expected.get(i), within(tol));
        }
    }

    /** A Dropout's mask output is bool: listing layers exposes it with that type, or the session fails to load. */
    @Test
    void layersOfAModelWithADropoutMaskLoadAndListTheMask() {
        GraphProto g = GraphProto.newBuilder().setName("dropout")
                .addInput(TestModels.value("x", TestModels.FLOAT, "N", 4))
                .addNode(TestModels.node("Dropout", "drop", new String[] {"x"}, new String[] {"d", "mask"}))
                .addNode(TestModels.node("Relu", "relu", new String[] {"d"}, new String[] {"y"}))
                .addOutput(TestModels.value("y", TestModels.FLOAT, "N", 4)).build();
        Path file = TestModels.write(TestModels.model(g), dir, "dropout.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThat(model.layers(Map.of("x", new int[] {1, 4}))).extracting(io.xai4j.spi.LayerInfo::tensor)
                    .contains("d", "mask", "y");
            Tensor x = random(3, 1, 4);
            assertClose(model.forward(Map.of("x", x), Set.of("d")).get("d"), x, 0);
        }
    }

    @Test
    void aModelWithoutOutputsIsABadModel() {
        GraphProto g = GraphProto.newBuilder().setName("silent")
                .addInput(TestModels.value("x", TestModels.FLOAT, "N", 4))
                .addNode(TestModels.node("Relu", "relu", new String[] {"x"}, new String[] {"y"})).build();
        Path file = TestModels.write(TestModels.model(g), dir, "silent.onnx");
        assertThatThrownBy(() -> OnnxModel.load(file, ModelOptions.defaults()))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("has no outputs");
    }

    @Test
    void inputDimensionsBeyondATensorAreABadModelWithoutNegativeNumbers() {
        for (long[] dims : List.of(new long[] {1, 3, 100_000, 100_000}, new long[] {1, 3, 3_000_000_000L, 2})) {
            GraphProto g = GraphProto.newBuilder().setName("huge")
                    .addInput(TestModels.value("x", TestModels.FLOAT, null, dims))
                    .addNode(TestModels.node("Relu", "relu", new String[] {"x"}, new String[] {"y"}))
                    .addOutput(TestModels.value("y", TestModels.FLOAT, null, dims)).build();
            Path file = TestModels.write(TestModels.model(g), dir, "huge.onnx");
            assertThatThrownBy(() -> OnnxModel.load(file, ModelOptions.defaults()))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                    .hasMessageContaining("more than 2147483647 elements").hasMessageNotContaining("-");
        }
    }

    @Test
    void linearMatchesClosedFormAndLeavesInputUntouched() {
        Path file = TestModels.write(TestModels.linear(), dir, "linear.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            Tensor x = random(1, 4, 6);
            Tensor before = x.copy();
            Tensor y = model.forward(Map.of("x", x)).get("y");
            assertClose(y, Reference.linear(x), 1e-5);
            assertThat(x).isEqualTo(before);
            assertThat(model.signature().firstInput().shape()).containsExactly(Dim.symbolic("N"), Dim.fixed(6));
            assertThat(model.signature().firstOutput().shapeString()).isEqualTo("[N,3]");
            assertThat(model.capabilities()).contains(ModelCapability.DYNAMIC_BATCH, ModelCapability.INTERMEDIATES);
            assertThat(model.batchMode()).isEqualTo(OnnxModel.BatchMode.DYNAMIC);
            assertThat(model.info().source()).isEqualTo("linear.onnx");
            assertThat(model.info().sha256()).isEqualTo(OnnxModels.sha256(file));
            assertThat(model.info().backend()).isEqualTo("onnxruntime");
            assertThat(model.info().device()).isEqualTo("cpu");
        }
    }

    @Test
    void viewsAreFedByTheirOwnElements() {
        Path file = TestModels.write(TestModels.linear(), dir, "linear.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            Tensor x = random(2, 5, 6);
            Tensor rows = x.rows(2, 4);
            assertClose(model.forward(Map.of("x", rows)).get("y"), Reference.linear(rows.copy()), 1e-5);
        }
    }

    @Test
    void externalDataModelRuns() throws Exception {
        Path file = TestModels.write(TestModels.linearWithExternalWeights(dir), dir, "ext.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            Tensor x = random(3, 2, 6);
            assertClose(model.forward(Map.of("x", x)).get("y"), Reference.linear(x), 1e-5);
        }
    }

    @Test
    void externalDataModelHasGradients() throws Exception {
        Path file = TestModels.write(TestModels.linearWithExternalWeights(dir), dir, "ext.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            Tensor seed = Tensor.of(new float[] {0f, 1f, 0f, 0f, 0f, 2f}, 2, 3);
            Tensor g = model.gradients().orElseThrow().vjp(new GradientRequest(Map.of("x", random(4, 2, 6)), "y", seed,
                    Set.of("x"), Set.of(), GradientRequest.EXACT, false)).gradients().get("x");
            float[] w = TestModels.linearWeights();
            for (int i = 0; i < 6; i++) {
                assertThat(g.at(0, i)).isCloseTo(w[6 + i], within(1e-6f));
                assertThat(g.at(1, i)).isCloseTo(2 * w[12 + i], within(1e-6f));
            }
        }
    }

    @Test
    void floatInputsAreConvertedToInt64() {
        Path file = TestModels.write(TestModels.int64Input(), dir, "ids.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            Tensor y = model.forward(Map.of("ids", Tensor.of(new float[] {1, 2, 3, 40}, 2, 2))).get("y");
            assertThat(y.toArray()).containsExactly(2, 4, 6, 80);
        }
    }

    @Test
    void invalidInputsAreRejectedWithTheExpectedShape() {
        Path file = TestModels.write(TestModels.linear(), dir, "linear.onnx");
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            assertThatThrownBy(() -> model.forward(Map.of()))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                    .hasMessageContaining("missing input 'x'").hasMessageContaining("x[N,6]");
            assertThatThrownBy(() -> model.forward(Map.of("x", Tensor.zeros(1, 6), "z", Tensor.zeros(1))))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                    .hasMessageContaining("unknown input 'z'");
            assertThatThrownBy(() -> model.forward(Map.of("x", Tensor.zeros(2, 5))))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                    .hasMessageContaining("[2, 5]").hasMessageContaining("[N,6]");
            assertThatThrownBy(() -> model.forward(Map.of("x", Tensor.zeros(6))))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH));
            Tensor nan = Tensor.zeros(1, 6);
            nan.set(4, Float.NaN);
            assertThatThrownBy(() -> model.forward(Map.of("x", nan)))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NON_FINITE_INPUT))
                    .hasMessageContaining("index 4");
            assertThatThrownBy(() -> model.forward(Map.of("x", Tensor.zeros(1, 6)), Set.of("nope")))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                    .hasMessageContaining("'nope'").hasMessageContaining("[y]");
        }
    }

    @Test
    void thousandForwardsLeaveNoNativeHandlesOpen() {
        int baseline = NativeResources.open();
        Path file = TestModels.write(TestModels.fixedBatchCnn(false), dir, "cnn.onnx");
        OnnxModel model = OnnxModel.load(file, ModelOptions.defaults());
        int loaded = NativeResources.open();
        assertThat(loaded).isEqualTo(baseline + 1);
        Tensor x = random(4, 2, 1, 4, 4);
        for (int i = 0; i < 1000; i++) {
            model.forward(Map.of("x", x), i % 2 == 0 ? Set.of("probs") : Set.of("probs", "relu_out"));
            assertThat(NativeResources.TENSORS.get()).isZero();
            assertThat(NativeResources.RESULTS.get()).isZero();
        }
        assertThat(NativeResources.open()).isEqualTo(loaded + 1);
        model.close();
        assertThat(NativeResources.open()).isEqualTo(baseline);
        assertThatThrownBy(() -> model.forward(Map.of("x", x)))
                .isInstanceOf(XaiException.class).hasMessageContaining("closed");
    }

    @Test
    void concurrentForwardsAgree() throws Exception {
        Path file = TestModels.write(TestModels.linear(), dir, "linear.onnx");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        Tensor x = random(seed * 100 + i, 1 + i % 3, 6);
                        Tensor expected = Reference.linear(x);
                        Tensor y = model.forward(Map.of("x", x)).get("y");
                        for (int k = 0; k < y.size(); k++) {
                            if (Math.abs(y.get(k) - expected.get(k)) > 1e-4) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }
}
