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
 * @param ruleSet the backward rule set gradient methods use, {@link GradientRequest#EXACT} for true gradients
 * @param methods the installed methods, for methods that wrap another one
 */
public record AttributionContext(Model model, Batcher batcher, long seed, String ruleSet, MethodLookup methods) {

    public AttributionContext {
        batcher = batcher == null ? Batcher.defaults() : batcher;
        ruleSet = ruleSet == null ? GradientRequest.EXACT : ruleSet;
        methods = methods == null ? MethodLookup.NONE : methods;
    }

    /** A context with exact gradients and no other installed methods. */
    public AttributionContext(Model model, Batcher batcher, long seed) {
        this(model, batcher, seed, GradientRequest.EXACT, MethodLookup.NONE);
    }

    /** A fresh generator from the context seed; equal seeds give equal results. */
    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    /** This context with another batcher (e.g. a smaller batch size). */
    public AttributionContext withBatcher(Batcher value) {
        return new AttributionContext(model, value, seed, ruleSet, methods);
    }

    /** This context with the given installed methods. */
    public AttributionContext withMethods(MethodLookup value) {
        return new AttributionContext(model, batcher, seed, ruleSet, value);
    }

    /** The gradient engine, or an error naming the method that needs it. */
    public GradientEngine gradients(String method) {
        return model.gradients().orElseThrow(() -> new XaiException(ErrorCode.MISSING_CAPABILITY, "method '" + method
                + "' needs gradients, which this model's backend does not provide; perturbation methods "
                + "(occlusion, rise, feature-ablation, kernel-shap, lime, ...) still work"));
    }
}
