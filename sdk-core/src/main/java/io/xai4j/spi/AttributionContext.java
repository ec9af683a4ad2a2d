package io.xai4j.spi;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.SplittableRandom;

/**
 * Services a method may use. New services are added here, never to method signatures.
 *
 * @param model   the model to explain
 * @param batcher splits many model evaluations into batched calls and reports progress
 * @param seed    the random seed for stochastic methods (recorded in provenance)
 */
public record AttributionContext(Model model, Batcher batcher, long seed) {

    /** A fresh generator from the context seed; equal seeds give equal results. */
    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    /** The gradient engine, or an error naming the method that needs it. */
    public GradientEngine gradients(String method) {
        return model.gradients().orElseThrow(() -> new XaiException(ErrorCode.MISSING_CAPABILITY, "method '" + method
                + "' needs gradients, which this model's backend does not provide; perturbation methods "
                + "(occlusion, rise, feature-ablation) still work"));
    }
}
