package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Closing a model while other threads run it: every call either finishes or fails with the library's own error
 * (INVALID_ARGUMENT, "... has been closed"), never with another exception or a crash of the JVM.
 */
class ModelLifecycleTest {
    private static final Path MODEL = resource("resnet_op13.onnx");

    @RepeatedTest(8)
    void closingWhileExplainingFailsCleanly() throws Exception {
        OnnxModel model = OnnxModel.load(MODEL, ModelOptions.defaults());
        GradientEngine engine = model.gradients().orElseThrow();
        Tensor x = TestTensors.random(1, 1, 3, 64, 64);
        Tensor seed = Tensor.zeros(1, 10);
        seed.set(3, 1f);
        engine.vjp(new GradientRequest(Map.of("input", x), "logits", seed, Set.of("input"), Set.of(), "exact", false));
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(2);
        List<Thread> threads = List.of(new Thread(() -> loop(running, failures, () -> engine.vjp(new GradientRequest(
                Map.of("input", x), "logits", seed, Set.of("input"), Set.of(), "exact", false)))),
                new Thread(() -> loop(running, failures, () -> model.forward(Map.of("input", x)))));
        threads.forEach(Thread::start);
        running.await();
        Thread.sleep(20);
        model.close();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }

    /** Calls until the model is closed; anything but the library's closed-model error is a failure. */
    private static void loop(CountDownLatch running, List<Throwable> failures, Runnable call) {
        running.countDown();
        try {
            while (true) {
                call.run();
            }
        } catch (XaiException e) {
            if (e.code() != ErrorCode.INVALID_ARGUMENT || !e.getMessage().endsWith("has been closed")) {
                failures.add(e);
            }
        } catch (RuntimeException | Error e) {
            failures.add(e);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(ModelLifecycleTest.class.getResource("/gradients/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
