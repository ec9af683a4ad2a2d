package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.api.Cancellation;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancelled or timed-out call stops inside ONNX Runtime's run (its terminate flag), fails with CANCELLED, releases
 * its native tensors and leaves the model usable.
 */
class CancellationTest {
    private static final int WIDTH = 512;
    private static final int LAYERS = 100;
    /** Rows that take the slow model minutes on one core: far beyond the timeouts below. */
    private static final int ROWS = 4096;

    @TempDir
    Path dir;

    /** x[N,512] through 100 MatMuls with one 512x512 weight. */
    private Path slowModel() {
        float[] w = new float[WIDTH * WIDTH];
        for (int i = 0; i < WIDTH; i++) {
            w[i * WIDTH + i] = 1f;
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("slow")
                .addInput(TestModels.value("x", TestModels.FLOAT, "N", WIDTH))
                .addInitializer(Graphs.floatTensor("W", w, WIDTH, WIDTH));
        String previous = "x";
        for (int i = 0; i < LAYERS; i++) {
            String next = i == LAYERS - 1 ? "y" : "h" + i;
            g.addNode(TestModels.node("MatMul", "mm" + i, new String[] {previous, "W"}, new String[] {next}));
            previous = next;
        }
        g.addOutput(TestModels.value("y", TestModels.FLOAT, "N", WIDTH));
        return TestModels.write(TestModels.model(g.build()), dir, "slow.onnx");
    }

    @Test
    void aTimeoutStopsAForwardRunAndAGradientRunInsideOnnxRuntime() {
        int baseline = NativeResources.open();
        try (OnnxModel model = OnnxModel.load(slowModel(), ModelOptions.defaults())) {
            Tensor big = Tensor.zeros(ROWS, WIDTH);
            try (Cancellation limit = Cancellation.after(Duration.ofMillis(300))) {
                assertThatThrownBy(() -> limit.call(() -> model.forward(Map.of("x", big))))
                        .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED))
                        .hasMessage("the explanation was timed out after 300 ms");
            }
            GradientRequest request = new GradientRequest(Map.of("x", big), "y", Tensor.zeros(ROWS, WIDTH),
                    Set.of("x"), Set.of(), GradientRequest.EXACT, false);
            model.gradients().orElseThrow().vjp(new GradientRequest(Map.of("x", Tensor.zeros(1, WIDTH)), "y",
                    Tensor.zeros(1, WIDTH), Set.of("x"), Set.of(), GradientRequest.EXACT, false));
            try (Cancellation limit = Cancellation.after(Duration.ofMillis(300))) {
                assertThatThrownBy(() -> limit.call(() -> model.gradients().orElseThrow().vjp(request)))
                        .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
            }
            Tensor one = Tensor.zeros(1, WIDTH);
            one.set(7, 2f);
            assertThat(model.forward(Map.of("x", one)).get("y").get(7)).isEqualTo(2f);
        }
        assertThat(NativeResources.open()).isEqualTo(baseline);
    }

    @Test
    void aHandleCancelledFromAnotherThreadStopsTheRun() throws Exception {
        try (OnnxModel model = OnnxModel.load(slowModel(), ModelOptions.defaults())) {
            Cancellation handle = Cancellation.create();
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handle.cancel();
            });
            canceller.start();
            assertThatThrownBy(() -> handle.call(() -> model.forward(Map.of("x", Tensor.zeros(ROWS, WIDTH)))))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED))
                    .hasMessage("the explanation was cancelled");
            canceller.join();
            assertThatThrownBy(() -> handle.call(() -> model.forward(Map.of("x", Tensor.zeros(1, WIDTH)))))
                    .hasMessage("the explanation was cancelled");
            assertThat(Cancellation.current()).isNull();
        }
    }
}
