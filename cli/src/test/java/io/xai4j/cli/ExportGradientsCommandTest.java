package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.xai4j.io.Npy;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportGradientsCommandTest {
    @TempDir
    Path dir;

    @Test
    void theExportedModelRunsInAFreshSessionAndMatchesTheEngine() throws Exception {
        Path model = Fixtures.resnet(dir);
        byte[] original = Files.readAllBytes(model);
        Path out = dir.resolve("sub/resnet.grad.onnx");
        CliRunner r = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt",
                "input," + Fixtures.RESNET_INNER, "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out, "seed", "grad:input", "grad:" + Fixtures.RESNET_INNER,
                "onnxruntime.InferenceSession");
        assertThat(Files.readAllBytes(model)).isEqualTo(original);
        assertThat(dir.resolve("sub")).isDirectoryContaining(p -> p.equals(out)).satisfies(
                d -> assertThat(Files.list(d).count()).isEqualTo(1));

        int batch = 2;
        Tensor x = TestTensors.random(3, batch, 3, 64, 64);
        Tensor seed = TestTensors.random(4, batch, 10);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] exported;
        try (OrtSession session = env.createSession(out.toString(), new OrtSession.SessionOptions());
                OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toArray()), new long[] {batch, 3, 64, 64});
                OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(seed.toArray()), new long[] {batch, 10});
                OrtSession.Result result = session.run(Map.of("input", xt, "seed", st), Set.of("grad:input"))) {
            FloatBuffer b = ((OnnxTensor) result.get(0)).getFloatBuffer();
            exported = new float[b.remaining()];
            b.get(exported);
        }
        float[] expected;
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            expected = loaded.gradients().orElseThrow().vjp(new GradientRequest(Map.of("input", x), "logits", seed,
                    Set.of("input"), Set.of(), GradientRequest.EXACT, false)).gradients().get("input").toArray();
        }
        assertThat(exported).hasSameSizeAs(expected);
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(scale).isGreaterThan(0);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) exported[i]).isCloseTo(expected[i], within(1e-5 * scale));
        }
    }

    @Test
    void aFedEmbeddingIsAnInputOfTheExportAndGetsPyTorchsGradient() throws Exception {
        Path text = Path.of(getClass().getResource("/text/text.onnx").toURI());
        String embedding = "/embed/Gather_output_0";
        Path out = dir.resolve("text.grad.onnx");
        CliRunner r = CliRunner.run("export-gradients", "--model", text.toString(), "--wrt", embedding, "--feed",
                embedding, "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(embedding + " ");

        Tensor ids = Npy.read(Path.of(getClass().getResource("/text/ids.npy").toURI()));
        Tensor mask = Npy.read(Path.of(getClass().getResource("/text/mask.npy").toURI()));
        Tensor expected = Npy.read(Path.of(getClass().getResource("/text/layer_saliency.npy").toURI()));
        Tensor embedded;
        try (OnnxModel loaded = OnnxModel.load(text, ModelOptions.defaults())) {
            embedded = loaded.forward(Map.of("ids", ids, "mask", mask), Set.of(embedding)).get(embedding);
        }
        float[] seed = {0f, 0f, 1f};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(out.toString(), new OrtSession.SessionOptions());
                OnnxTensor mt = OnnxTensor.createTensor(env, FloatBuffer.wrap(mask.toArray()), new long[] {1, mask.dim(1)});
                OnnxTensor et = OnnxTensor.createTensor(env, FloatBuffer.wrap(embedded.toArray()),
                        new long[] {1, embedded.dim(1), embedded.dim(2)});
                OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(seed), new long[] {1, 3});
                OrtSession.Result result = session.run(Map.of("mask", mt, embedding, et, "seed", st),
                        Set.of("grad:" + embedding))) {
            assertThat(session.getInputNames()).as("the ids only fed the embedding")
                    .containsExactlyInAnyOrder("mask", embedding, "seed");
            FloatBuffer b = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] gradient = new float[b.remaining()];
            b.get(gradient);
            assertThat(TestTensors.relativeError(Tensor.of(gradient, expected.shape()), expected)).isLessThan(1e-4);
        }
    }

    @Test
    void anUnknownTensorIsAUsageErrorWithCloseNames() throws Exception {
        Path model = Fixtures.resnet(dir);
        CliRunner r = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt",
                "/layer4/layer4.0/relu_1/Relu_output", "--out", dir.resolve("g.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown tensor", Fixtures.RESNET_INNER);
        assertThat(dir.resolve("g.onnx")).doesNotExist();
    }

    @Test
    void anOpWithoutABackwardRuleIsAModelErrorNamingOpAndNode() throws Exception {
        Path model = Fixtures.unaryModel(dir, "Asinh");
        CliRunner r = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt", "x",
                "--out", dir.resolve("g.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("Asinh", "the_asinh");
    }

    @Test
    void aModelLinkedToDevZeroIsRefusedBeforeReading() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("zero.onnx"), Path.of("/dev/zero"));
        CliRunner export = CliRunner.run("export-gradients", "--model", link.toString(), "--wrt", "x",
                "--out", dir.resolve("g.onnx").toString());
        CliRunner inspect = CliRunner.run("inspect", "--model", link.toString());
        for (CliRunner r : List.of(export, inspect)) {
            assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
            assertThat(r.err()).contains("zero.onnx is not a regular file");
        }
    }

    @Test
    void anOutputThatIsAFolderOrAPipeIsRefusedAndKept() throws Exception {
        Path model = Fixtures.unaryModel(dir, "Relu");
        Path folder = Files.createDirectories(dir.resolve("folder.onnx"));
        Path pipe = dir.resolve("pipe.onnx");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
        for (Path out : new Path[] {folder, pipe}) {
            CliRunner r = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt", "x",
                    "--out", out.toString());
            assertThat(r.exitCode()).as(r.err()).isEqualTo(6);
            assertThat(r.err()).contains("cannot write " + out + ": it is");
            assertThat(Files.isRegularFile(out)).isFalse();
        }
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void blankTensorNamesAndShapesOfUnknownInputsAreUsageErrors() throws Exception {
        Path model = Fixtures.unaryModel(dir, "Relu");
        for (String[] bad : new String[][] {{"--feed", ","}, {"--activations", ","}, {"--wrt", "x,,x"},
                {"--shape", "nosuch=1,3"}, {"--shape", "=1,3"}}) {
            CliRunner r = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt", "x", bad[0], bad[1],
                    "--out", dir.resolve("g.onnx").toString());
            assertThat(r.exitCode()).as(String.join(" ", bad) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).containsAnyOf(bad[0] + " needs one or more tensor names", "not a model input");
            assertThat(dir.resolve("g.onnx")).doesNotExist();
        }
        CliRunner gradcheck = CliRunner.run("gradcheck", "--model", model.toString(), "--wrt", ",");
        assertThat(gradcheck.exitCode()).isEqualTo(2);
        assertThat(gradcheck.err()).contains("--wrt needs one or more tensor names");
    }

    @Test
    void theInputModelIsNeverOverwritten() throws Exception {
        Path model = Fixtures.resnet(dir);
        byte[] original = Files.readAllBytes(model);
        CliRunner r = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt", "input",
                "--out", dir.resolve("./resnet.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is the input model");
        assertThat(Files.readAllBytes(model)).isEqualTo(original);
    }
}
