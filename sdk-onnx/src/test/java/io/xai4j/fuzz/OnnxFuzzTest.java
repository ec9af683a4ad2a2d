package io.xai4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xai4j.error.ErrorType;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.spi.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz test of the ONNX reader: model bytes are loaded as a model file is (parsing, checks, ONNX Runtime's session,
 * the batch probes), and either load or are refused with a bad-model or bad-input error; any other exception is a
 * bug. {@code mvn verify} fuzzes it for a few seconds; as a plain test it replays
 * {@code src/test/resources/io/xai4j/fuzz/OnnxFuzzTestInputs/model/}, the seeds and every crash found.
 */
class OnnxFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void model(byte[] data) throws IOException {
        Path file = Files.createTempFile("fuzz", ".onnx");
        try {
            Files.write(file, data);
            try (OnnxModel model = OnnxModel.load(file, ModelOptions.defaults())) {
                model.signature();
            } catch (XaiException e) {
                if (e.code().type() != ErrorType.MODEL && e.code().type() != ErrorType.INPUT) {
                    throw new AssertionError("expected a bad-model error, got " + e.code() + ": " + e.getMessage(), e);
                }
            }
        } finally {
            Files.delete(file);
        }
    }
}
