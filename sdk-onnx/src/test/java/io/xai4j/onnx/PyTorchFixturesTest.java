package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.io.Npy;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Models exported by PyTorch (tools/fixtures/make_fixtures.py) give PyTorch's outputs. */
class PyTorchFixturesTest {

    @ParameterizedTest
    @CsvSource({"linear, x, y, output", "cnn_dynamic, input, logits, output", "sequence, seq, logits, output",
        "multi_head, x, exit1, exit1", "multi_head, x, exit2, exit2", "cnn_fixed_batch, input, probs, output"})
    void outputsMatchPyTorch(String model, String input, String output, String expectedFile) throws Exception {
        try (OnnxModel m = OnnxModel.load(fixture(model + ".onnx"), ModelOptions.defaults())) {
            Tensor x = Npy.read(fixture(model + ".input.npy"));
            Tensor expected = Npy.read(fixture(model + "." + expectedFile + ".npy"));
            assertClose(m.forward(Map.of(input, x)).get(output), expected);
        }
    }

    @Test
    void fixedBatchModelWithAConstantReshapeRunsBatchesAsOneCall() throws Exception {
        try (OnnxModel m = OnnxModel.load(fixture("cnn_fixed_batch.onnx"), ModelOptions.defaults())) {
            assertThat(m.batchMode()).isEqualTo(OnnxModel.BatchMode.REWRITTEN);
            assertThat(m.capabilities()).contains(ModelCapability.DYNAMIC_BATCH);
            java.util.Set<String> consumed = new java.util.HashSet<>();
            m.proto().getGraph().getNodeList().forEach(n -> consumed.addAll(n.getInputList()));
            assertThat(m.proto().getGraph().getNodeList()).as("no Constant node is left without consumers")
                    .noneMatch(n -> n.getOpType().equals("Constant") && !consumed.contains(n.getOutput(0)));
            assertThat(m.layers(Map.of("input", new int[] {1, 3, 16, 16}))).isNotEmpty();
            Tensor x = Npy.read(fixture("cnn_fixed_batch.input.npy"));
            Tensor expected = Npy.read(fixture("cnn_fixed_batch.output.npy"));
            Tensor batch = Tensor.concat(List.of(x, x, x));
            Tensor probs = m.forward(Map.of("input", batch)).get("probs");
            assertThat(probs.shape()).containsExactly(3, 5);
            for (int row = 0; row < 3; row++) {
                assertClose(probs.rows(row, row + 1), expected);
            }
        }
    }

    private static void assertClose(Tensor got, Tensor expected) {
        assertThat(got.shape()).containsExactly(expected.shape());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(got.get(i)).isCloseTo(expected.get(i), within(1e-4f + 1e-4f * Math.abs(expected.get(i))));
        }
    }

    private static Path fixture(String name) throws Exception {
        return Path.of(PyTorchFixturesTest.class.getResource("/fixtures/" + name).toURI());
    }
}
