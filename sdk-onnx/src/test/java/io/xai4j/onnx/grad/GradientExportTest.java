package io.xai4j.onnx.grad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.OnnxModels;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.StringStringEntryProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientExportTest {
    private static final double[] W = {0.5, -1, 0.25, 2, -0.5, 1, 0.75, -0.25, 1.5, -2, 0.1, 0.3};

    @TempDir
    Path dir;

    /** y = tanh(x W) V: x[N,3] -> h[N,4] -> r -> y[N,2]. */
    private static ModelProto tanhMlp() {
        return TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 3).values("w", W, 3, 4).weights("v", 4, 2)
                .node("MatMul", "x,w", "h").node("Tanh", "h", "r").node("MatMul", "r,v", "y").output("y").build();
    }

    @Test
    void theWrittenModelRunsInAFreshSessionAndGivesTheEnginesGradients() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(tanhMlp(), model);
        byte[] original = Files.readAllBytes(model);
        Path out = dir.resolve("sub/mlp.grad.onnx");

        GradientModel written = GradientExport.write(model, ModelOptions.defaults(), GradientExport.Settings.of(List.of("x", "h")), out);

        assertThat(Files.readAllBytes(model)).isEqualTo(original);
        try (var files = Files.list(out.getParent())) {
            assertThat(files).as("no temporary file is left").containsExactly(out);
        }
        assertThat(written.gradientOutputs()).containsEntry("x", "grad:x").containsEntry("h", "grad:h");
        Tensor x = TestTensors.random(1, 5, 3);
        Tensor seed = TestTensors.random(2, 5, 2);
        Map<String, double[]> exported = run(out, written, Map.of("x", x, written.seedInput(), seed));
        Map<String, Tensor> engine = engineGradients(model, x, seed, Set.of("x", "h"));
        for (String t : List.of("x", "h")) {
            assertClose(exported.get("grad:" + t), engine.get(t));
        }
    }

    @Test
    void aFedTensorIsAnInputAndTheInputsOnlyFeedingItAreDropped() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(tanhMlp(), model);
        Path out = dir.resolve("fed.onnx");
        GradientExport.Settings settings = new GradientExport.Settings(List.of("h"), List.of("h"), "y",
                List.of("r"), GradientRequest.EXACT, false, Map.of());

        GradientModel written = GradientExport.write(model, ModelOptions.defaults(), settings, out);

        try (OrtSession s = RuleCheck.ENV.createSession(out.toString(), new OrtSession.SessionOptions())) {
            assertThat(s.getInputNames()).containsExactlyInAnyOrder("h", written.seedInput());
            assertThat(s.getOutputNames()).contains("grad:h", "r");
        }
        Tensor h = TestTensors.random(3, 2, 4);
        Tensor seed = TestTensors.random(4, 2, 2);
        double[] r = run(out, written, Map.of("h", h, written.seedInput(), seed)).get("r");
        for (int i = 0; i < h.size(); i++) {
            assertThat(r[i]).isCloseTo(Math.tanh(h.get(i)), within(1e-6));
        }
    }

    @Test
    void externalWeightsStayExternalAndAreReadFromTheExportedFilesFolder() throws Exception {
        Path model = dir.resolve("ext.onnx");
        OnnxModels.write(withExternalW(tanhMlp(), dir), model);
        Path out = dir.resolve("ext.grad.onnx");

        GradientModel written = GradientExport.write(model, ModelOptions.defaults(), GradientExport.Settings.of(List.of("x")), out);

        TensorProto w = written.model().getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("w")).findFirst().orElseThrow();
        assertThat(w.getDataLocation()).isEqualTo(TensorProto.DataLocation.EXTERNAL);
        Tensor x = TestTensors.random(5, 2, 3);
        Tensor seed = TestTensors.random(6, 2, 2);
        double[] exported = run(out, written, Map.of("x", x, written.seedInput(), seed)).get("grad:x");
        Path inline = dir.resolve("inline.onnx");
        OnnxModels.write(tanhMlp(), inline);
        assertClose(exported, engineGradients(inline, x, seed, Set.of("x")).get("x"));
    }

    @Test
    void theInputModelIsNeverOverwritten() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(tanhMlp(), model);
        byte[] original = Files.readAllBytes(model);
        for (Path out : List.of(model, dir.resolve("./mlp.onnx"), dir.resolve("sub/../mlp.onnx"))) {
            assertThatThrownBy(() -> GradientExport.write(model, ModelOptions.defaults(), GradientExport.Settings.of(List.of("x")), out))
                    .isInstanceOfSatisfying(XaiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("is the input model");
        }
        assertThat(Files.readAllBytes(model)).isEqualTo(original);
    }

    @Test
    void anUnknownTensorWritesNothing() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(tanhMlp(), model);
        Path out = dir.resolve("g.onnx");
        assertThatThrownBy(() -> GradientExport.write(model, ModelOptions.defaults(), GradientExport.Settings.of(List.of("hh")), out))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                .hasMessageContaining("unknown tensor 'hh'");
        assertThat(out).doesNotExist();
    }

    /** The model with initializer {@code w} moved to {@code weights.bin} in {@code folder}. */
    private static ModelProto withExternalW(ModelProto m, Path folder) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(W.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : W) {
            bytes.putFloat((float) v);
        }
        Files.write(folder.resolve("weights.bin"), bytes.array());
        TensorProto external = TensorProto.newBuilder().setName("w").setDataType(DataType.FLOAT_VALUE).addDims(3)
                .addDims(4).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("" + W.length * 4))
                .build();
        var g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals("w")) {
                g.setInitializer(i, external);
            }
        }
        return m.toBuilder().setGraph(g).build();
    }

    /** Runs the written file in a new ONNX Runtime session, as any other runtime would. */
    private static Map<String, double[]> run(Path file, GradientModel written, Map<String, Tensor> inputs)
            throws OrtException {
        Map<String, double[]> values = new HashMap<>();
        Map<String, int[]> shapes = new HashMap<>();
        inputs.forEach((name, t) -> {
            values.put(name, IntStream.range(0, t.size()).mapToDouble(t::get).toArray());
            shapes.put(name, t.shape());
        });
        try (OrtSession s = RuleCheck.ENV.createSession(file.toString(), new OrtSession.SessionOptions())) {
            return RuleCheck.runAll(s, written.model(), shapes, values);
        }
    }

    private static void assertClose(double[] got, Tensor expected) {
        assertThat(got).hasSize(expected.size());
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element %d", i).isCloseTo(expected.get(i), within(1e-6));
        }
    }

    private static Map<String, Tensor> engineGradients(Path model, Tensor x, Tensor seed, Set<String> wrt) {
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            return loaded.gradients().orElseThrow().vjp(new GradientRequest(Map.of("x", x), "y", seed, wrt, Set.of(),
                    GradientRequest.EXACT, false)).gradients();
        }
    }
}
