package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelLoader;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

class DeviceAndLoaderTest {
    @TempDir
    Path dir;

    @Test
    void parsesDevices() {
        assertThat(Device.parse(null)).isEqualTo(Device.CPU);
        assertThat(Device.parse(" CPU ")).isEqualTo(Device.CPU);
        assertThat(Device.parse("cuda").cudaId()).isZero();
        assertThat(Device.parse("cuda:2").toString()).isEqualTo("cuda:2");
        for (String bad : new String[] {"tpu", "cuda:", "cuda:-1", "cuda:x"}) {
            assertThatThrownBy(() -> Device.parse(bad))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("cpu, cuda, cuda:N");
        }
    }

    @Test
    void sessionsStopSpinningAfterEachRun() throws Exception {
        SessionFactory factory = SessionFactory.select(new ModelOptions("cpu", false, 3), dir);
        try (var options = factory.newOptions()) {
            assertThat(options.getConfigEntries()).containsEntry(SessionFactory.STOP_SPINNING_AFTER_RUN, "1")
                    .containsEntry(ExternalData.FOLDER_CONFIG, dir.toAbsolutePath().toString());
        }
    }

    @Test
    void unavailableCudaFailsOrFallsBackToCpu() {
        Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this build has the CUDA provider");
        Path file = TestModels.write(TestModels.linear(), dir, "linear.onnx");
        assertThatThrownBy(() -> OnnxModel.load(file, new ModelOptions("cuda:0", false, 0)))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEVICE_UNAVAILABLE))
                .hasMessageContaining("cuda:0").hasMessageContaining("-Pcuda").hasMessageContaining("cuDNN");
        try (OnnxModel model = OnnxModel.load(file, new ModelOptions("cuda", true, 1))) {
            assertThat(model.info().device()).isEqualTo("cpu");
            assertThat(model.forward(Map.of("x", Tensor.zeros(1, 6))).get("y").toArray()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void loaderIsRegisteredAndAcceptsOnnxFiles() {
        ModelLoader loader = ServiceLoader.load(ModelLoader.class).stream().map(ServiceLoader.Provider::get)
                .filter(l -> l.name().equals("onnxruntime")).findFirst().orElseThrow();
        assertThat(loader.accepts(Path.of("m", "resnet.ONNX"))).isTrue();
        assertThat(loader.accepts(Path.of("m", "resnet.pt"))).isFalse();
        Path file = TestModels.write(TestModels.linear(), dir, "linear.onnx");
        try (Model model = loader.load(file, ModelOptions.defaults())) {
            assertThat(model.signature().inputNames()).containsExactly("x");
        }
    }
}
