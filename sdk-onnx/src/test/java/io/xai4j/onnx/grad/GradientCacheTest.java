package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.spi.GradientRequest;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientCacheTest {
    @TempDir
    Path dir;

    private static ModelProto model() {
        return TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 3).weights("w", 2, 3).weights("b", 2)
                .node("Gemm", "x,w,b", "h", of("transB", 1L)).node("Tanh", "h", "t")
                .node("Softmax", "t", "probs").output("probs").build();
    }

    private static GradientRequest request(Set<String> wrt) {
        return new GradientRequest(Map.of("x", Tensor.of(new float[] {0.3f, -1f, 2f}, 1, 3)), "probs",
                Tensor.of(new float[] {1f, -0.5f}, 1, 2), wrt, Set.of("h"), GradientRequest.EXACT, false);
    }

    /** Runs one request on a fresh engine; returns the gradient w.r.t. x and the number of builds. */
    private static Run run(GradientCache cache, Set<String> wrt) {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OnnxGradientEngine engine = new OnnxGradientEngine(model(), RuleCheck.ENV, opts, cache)) {
            float[] g = engine.vjp(request(wrt)).gradients().get("x").toArray();
            return new Run(g, engine.builds());
        }
    }

    private record Run(float[] gradient, int builds) {
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void aSecondEngineLoadsTheGradientModelFromTheCache() throws IOException {
        GradientCache cache = GradientCache.at(dir);
        Run first = run(cache, Set.of("x"));
        assertThat(first.builds()).isEqualTo(1);
        assertThat(entries()).hasSize(1).allMatch(p -> p.toString().endsWith(".onnx"));
        Run second = run(cache, Set.of("x"));
        assertThat(second.builds()).isZero();
        assertThat(second.gradient()).containsExactly(first.gradient());
        Run other = run(cache, Set.of("x", "h"));
        assertThat(other.builds()).isEqualTo(1);
        assertThat(entries()).hasSize(2);
    }

    @Test
    void aCorruptEntryIsRebuiltAndReplaced() throws IOException {
        GradientCache cache = GradientCache.at(dir);
        Run first = run(cache, Set.of("x"));
        Path entry = entries().get(0);
        byte[] good = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(good, good.length / 2));
        Run recovered = run(cache, Set.of("x"));
        assertThat(recovered.builds()).isEqualTo(1);
        assertThat(recovered.gradient()).containsExactly(first.gradient());
        assertThat(Files.readAllBytes(entry)).isEqualTo(good);
        Files.writeString(entry, "not a model");
        assertThat(run(cache, Set.of("x")).builds()).isEqualTo(1);
        assertThat(run(cache, Set.of("x")).builds()).isZero();
    }

    /** A changed graph or constant that still parses as a model is caught by the entry's checksum, not used. */
    @Test
    void anEntryWhoseContentChangedIsRebuilt() throws IOException {
        GradientCache cache = GradientCache.at(dir);
        Run first = run(cache, Set.of("x"));
        Path entry = entries().get(0);
        ModelProto stored = ModelProto.parseFrom(Files.readAllBytes(entry));
        ModelProto.Builder damaged = stored.toBuilder();
        if (damaged.getGraph().getInitializerCount() > 0) {
            TensorProto c = damaged.getGraph().getInitializer(0);
            damaged.getGraphBuilder().setInitializer(0, c.toBuilder().addDims(1));
        } else {
            damaged.getGraphBuilder().getNodeBuilder(0).setOpType("Sigmoid");
        }
        Files.write(entry, damaged.build().toByteArray());

        Run recovered = run(cache, Set.of("x"));
        assertThat(recovered.builds()).isEqualTo(1);
        assertThat(recovered.gradient()).containsExactly(first.gradient());
    }

    /** An entry names the model's weights instead of copying them, and gets them back from the model. */
    @Test
    void anEntryReferencesTheModelsWeightsInsteadOfCopyingThem() throws IOException {
        int width = 256;
        ModelProto big = TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, width).weights("w", width, width)
                .node("MatMul", "x,w", "h").node("Tanh", "h", "t").output("t").build();
        GradientRequest request = new GradientRequest(Map.of("x", Tensor.zeros(1, width)), "t", Tensor.zeros(1, width),
                Set.of("x"), Set.of(), GradientRequest.EXACT, false);
        Tensor x = Tensor.zeros(2, width);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, (float) Math.sin(i));
        }
        Tensor seed = Tensor.zeros(2, width);
        seed.set(5, 1f);
        seed.set(width + 9, -2f);
        GradientRequest real = new GradientRequest(Map.of("x", x), "t", seed, Set.of("x"), Set.of(), GradientRequest.EXACT, false);
        GradientCache cache = GradientCache.at(dir);
        float[] built;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OnnxGradientEngine engine = new OnnxGradientEngine(big, RuleCheck.ENV, opts, cache)) {
            engine.vjp(request);
            built = engine.vjp(real).gradients().get("x").toArray();
        }
        long weightBytes = 4L * width * width;
        assertThat(Files.size(entries().get(0))).isLessThan(weightBytes / 4);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OnnxGradientEngine engine = new OnnxGradientEngine(big, RuleCheck.ENV, opts, cache)) {
            assertThat(engine.vjp(real).gradients().get("x").toArray()).containsExactly(built);
            assertThat(engine.builds()).isZero();
        }
    }

    @Test
    void theOldestEntriesAreEvictedBeyondTheSizeLimit() throws IOException {
        GradientCache cache = GradientCache.at(dir);
        Path old = Files.write(dir.resolve("old.onnx"), new byte[100]);
        Path middle = Files.write(dir.resolve("middle.onnx"), new byte[100]);
        Path newest = Files.write(dir.resolve("newest.onnx"), new byte[100]);
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(middle, java.nio.file.attribute.FileTime.fromMillis(2_000));
        Files.setLastModifiedTime(newest, java.nio.file.attribute.FileTime.fromMillis(3_000));

        cache.evictBeyond(250, old);

        assertThat(old).exists();
        assertThat(middle).doesNotExist();
        assertThat(newest).exists();
    }

    @Test
    void aDisabledCacheWritesNothing() throws IOException {
        assertThat(run(GradientCache.disabled(), Set.of("x")).builds()).isEqualTo(1);
        assertThat(run(GradientCache.disabled(), Set.of("x")).builds()).isEqualTo(1);
        assertThat(entries()).isEmpty();
    }

    @Test
    void theDirectoryComesFromThePropertyTheEnvironmentOrTheHome() {
        assertThat(GradientCache.resolve("off", "/env", "/home").enabled()).isFalse();
        assertThat(GradientCache.resolve("/prop", "/env", "/home").directory()).contains(Path.of("/prop").toAbsolutePath());
        assertThat(GradientCache.resolve(null, "/env", "/home").directory()).contains(Path.of("/env").toAbsolutePath());
        assertThat(GradientCache.resolve(null, "OFF", "/home").enabled()).isFalse();
        assertThat(GradientCache.resolve("", null, "/home").directory())
                .contains(Path.of("/home", ".cache", "xai4j", "gradients").toAbsolutePath());
    }
}
