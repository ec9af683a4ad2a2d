package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.GradientJob;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * DeepLift SHAP (as Captum's {@code DeepLiftShap}): DeepLift's attribution averaged over every baseline of
 * {@code baseline-distribution} (see {@link RescaleGradient}), or, without it, over the single {@code baseline}.
 */
public final class DeepLiftShap extends RescaleGradient {
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("deeplift-shap", MethodFamily.GRADIENT,
            "1.0", "DeepLift averaged over a distribution of baselines",
            Set.of(Requirement.GRADIENTS, Requirement.BASELINE), List.of(
                    baselineParameter("the baseline, when no baseline-distribution is given"),
                    ParameterSpec.tensor(GradientShap.DISTRIBUTION, "a tensor (an .npy file) of baselines [B, ...], "
                            + "all of which are used; replaces baseline")));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Tensor baselines(GradientJob job, int example) {
        if (!job.parameters().has(GradientShap.DISTRIBUTION)) {
            return job.cached("deeplift:" + example, () -> job.baseline(example).unsqueeze0());
        }
        Tensor distribution = job.cached(GradientShap.DISTRIBUTION, () -> GradientShap.distribution(job,
                job.request().input().row(0).shape()));
        return job.cached(GradientShap.DISTRIBUTION + ":" + example, () -> job.attributed().fromInputRows(example,
                distribution));
    }
}
