package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.Elementwise;
import io.xai4j.family.gradient.GradientJob;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Set;

/** Input x gradient (as Captum's {@code InputXGradient}): the input times the gradient of the target score. */
public final class InputXGradient extends GradientMethod {
    private static final MethodDescriptor DESCRIPTOR = descriptor("input-x-gradient", "1.0",
            "The input times the gradient of the target score with respect to it",
            Set.of(Requirement.GRADIENTS), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
        job.stream("input-x-gradient", exampleOf, GradientJob.copyOf(points), batch -> {
            int start = batch.start();
            int end = start + batch.size();
            Elementwise.addProduct(out.rows(start, end), points.rows(start, end), batch.gradient(job.inputName()), 1f);
            job.keepOutputs(batch);
        });
    }
}
