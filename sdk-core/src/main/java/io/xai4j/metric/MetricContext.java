package io.xai4j.metric;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Model;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * Services a metric may use. New services are added here, never to metric signatures.
 *
 * @param model     the model that was explained
 * @param batcher   splits many model evaluations into batched calls and reports progress
 * @param seed      the seed of stochastic metrics; equal seeds give equal results
 * @param explainer explains other inputs (or the same inputs on another model) with the method being evaluated,
 *                  or null when the caller cannot
 * @param models    opens other model files as the evaluated model was opened, or null when the caller cannot
 */
public record MetricContext(Model model, Batcher batcher, long seed, Explain explainer, Models models) {
    public MetricContext {
        batcher = batcher == null ? Batcher.defaults() : batcher;
    }

    /** A context that opens no other models. */
    public MetricContext(Model model, Batcher batcher, long seed, Explain explainer) {
        this(model, batcher, seed, explainer, null);
    }

    /** Other model files, opened on the evaluated model's backend and options. */
    @FunctionalInterface
    public interface Models {
        /** The model in {@code file}, owned by the caller of the metric: a metric never closes it. */
        Model open(Path file);
    }

    /** The method under evaluation, run again. */
    @FunctionalInterface
    public interface Explain {
        /**
         * The attribution of {@code inputs} (every model input, batch first) on {@code model} (the evaluated model
         * or a changed copy of it), for {@code target}: the class each example explains, whatever the model now
         * predicts.
         */
        Tensor attribution(Model model, Map<String, Tensor> inputs, ResolvedTarget target);
    }

    /**
     * The explainer, or an error naming the metric that needs it.
     *
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} when this context has none
     */
    public Explain explainer(String metric) {
        if (explainer == null) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "metric '" + metric + "' explains inputs again and "
                    + "needs an explainer in its context (MetricContext.explainer); run it through Evaluation");
        }
        return explainer;
    }

    /**
     * The model opener, or an error naming the metric that needs it.
     *
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} when this context has none
     */
    public Models models(String metric) {
        if (models == null) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "metric '" + metric + "' opens a second model and "
                    + "needs a model opener in its context (MetricContext.models); run it through an Evaluation "
                    + "given one");
        }
        return models;
    }
}
