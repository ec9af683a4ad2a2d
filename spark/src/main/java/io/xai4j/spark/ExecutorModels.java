package io.xai4j.spark;

import io.xai4j.api.Explainer;
import io.xai4j.api.Xai;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.IoErrors;
import io.xai4j.metric.Evaluation;
import io.xai4j.metric.MetricRegistry;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of one JVM (a Spark executor, or the driver in local mode): each model is written to a temporary file
 * and opened once, from the broadcast bytes, and then shared by every task and partition the JVM runs. A model's
 * gradient graph is built on its first gradient call, so once per JVM too. Models stay open until the JVM exits.
 */
final class ExecutorModels {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final Map<String, Model> MODELS = new ConcurrentHashMap<>();
    private static volatile Xai xai;
    private static volatile Evaluation evaluation;

    private ExecutorModels() {
    }

    /** The SDK with the methods on this JVM's class path. */
    static Xai xai() {
        Xai found = xai;
        if (found == null) {
            synchronized (ExecutorModels.class) {
                if (xai == null) {
                    xai = Xai.discover();
                }
                found = xai;
            }
        }
        return found;
    }

    /**
     * Explanations scored by the metrics on this JVM's class path. A model file a metric names (the second model of
     * {@code data-randomisation}) is opened from this JVM's file system once and kept until the JVM exits.
     */
    static Evaluation evaluation() {
        Evaluation found = evaluation;
        if (found == null) {
            synchronized (ExecutorModels.class) {
                if (evaluation == null) {
                    evaluation = new Evaluation(new Explainer(xai().methods()), MetricRegistry.discover(),
                            file -> xai().open(file, ModelOptions.defaults()));
                }
                found = evaluation;
            }
        }
        return found;
    }

    /** The model of {@code bytes} running {@code threads} threads per call, opened on first use. */
    static Model model(ModelBytes bytes, int threads) {
        return MODELS.computeIfAbsent(bytes.sha256() + "/" + threads, key -> open(bytes, threads));
    }

    private static Model open(ModelBytes bytes, int threads) {
        long start = System.nanoTime();
        Path file;
        try {
            Path dir = Files.createTempDirectory("xai4j-model-");
            file = dir.resolve(bytes.fileName());
            Files.write(file, bytes.content());
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw IoErrors.of("write the model for this executor to", Path.of(System.getProperty("java.io.tmpdir")),
                    e);
        }
        Model model = xai().open(file, new ModelOptions("cpu", false, threads));
        if (!model.info().sha256().equals(bytes.sha256())) {
            model.close();
            throw new XaiException(ErrorCode.CORRUPT_FILE, "the model received by this executor has SHA-256 "
                    + model.info().sha256() + ", not " + bytes.sha256() + " as sent");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(model::close, "xai4j-close-" + bytes.fileName()));
        LOG.info("opened model {} ({} bytes) on this executor in {} ms", bytes.fileName(), bytes.content().length,
                (System.nanoTime() - start) / 1_000_000);
        return model;
    }
}
