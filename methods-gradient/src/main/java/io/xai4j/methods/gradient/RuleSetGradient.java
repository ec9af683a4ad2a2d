package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.Elementwise;
import io.xai4j.family.gradient.GradientJob;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.gradient.GradientBatch;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * A method whose attribution is the gradient of the target score under a modified backward rule set (signed, as
 * Captum's {@code GuidedBackprop} and {@code Deconvolution} return it).
 */
abstract class RuleSetGradient extends GradientMethod {
    private final MethodDescriptor descriptor;
    private final String ruleSet;

    RuleSetGradient(String name, String description, String ruleSet) {
        this.descriptor = new MethodDescriptor(name, MethodFamily.GRADIENT, "1.0", description,
                Set.of(Requirement.GRADIENTS), List.of());
        this.ruleSet = ruleSet;
    }

    @Override
    public final MethodDescriptor descriptor() {
        return descriptor;
    }

    @Override
    protected final String ruleSet() {
        return ruleSet;
    }

    @Override
    protected final void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
        job.stream(descriptor.name(), exampleOf, GradientJob.copyOf(points), (GradientBatch batch) -> Elementwise.copy(
                batch.gradient(job.inputName()), out.rows(batch.start(), batch.start() + batch.size()), false));
    }
}
