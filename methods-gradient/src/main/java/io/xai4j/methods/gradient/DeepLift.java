package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.GradientJob;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Set;

/** DeepLift with the rescale rule against one {@code baseline} (see {@link RescaleGradient}). */
public final class DeepLift extends RescaleGradient {
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("deeplift", MethodFamily.GRADIENT, "1.0",
            "DeepLift (rescale rule): (input - baseline) times multipliers that divide each nonlinearity's change "
                    + "in output by its change in input", Set.of(Requirement.GRADIENTS, Requirement.BASELINE),
            List.of(baselineParameter("the reference input")));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Tensor baselines(GradientJob job, int example) {
        return job.cached("deeplift:" + example, () -> job.baseline(example).unsqueeze0());
    }
}
