package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.ChannelReduction;
import io.xai4j.family.gradient.Elementwise;
import io.xai4j.family.gradient.GradientJob;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.gradient.GradientBatch;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Saliency (Simonyan et al. 2014, as Captum's {@code Saliency}): the gradient of the target score with respect
 * to the input, by default in absolute value. With {@code channel-reduction} {@code max} or {@code sum} the
 * result keeps the input's rank with a channel axis of size 1: axis 1 for {@code [N,C,H,W]}, the last axis for
 * a channels-last {@code [N,H,W,C]} batch (C &lt;= 4 and H, W &gt; 4); at a layer, the last axis of an
 * embedding lookup or of a channels-last map, else axis 1.
 */
public final class Saliency extends GradientMethod {
    static final String ABS = "abs";
    static final String CHANNEL_REDUCTION = "channel-reduction";
    private static final MethodDescriptor DESCRIPTOR = descriptor("saliency", "1.0",
            "Gradient of the target score with respect to the input (absolute value by default)",
            Set.of(Requirement.GRADIENTS), List.of(
                    ParameterSpec.bool(ABS, true, "take the absolute value of the gradient"),
                    ParameterSpec.choice(CHANNEL_REDUCTION, ChannelReduction.NONE,
                            List.of(ChannelReduction.MAX, ChannelReduction.SUM, ChannelReduction.NONE),
                            "reduce over the channel axis (axis 1, or the last axis of a channels-last image), "
                                    + "keeping it with size 1")));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void validate(Parameters parameters, int[] exampleShape) {
        if (!parameters.getString(CHANNEL_REDUCTION).equals(ChannelReduction.NONE) && exampleShape.length < 2) {
            throw invalidParameter("channel-reduction needs an input with channels, e.g. [N,C,H,W] or [N,H,W,C]; "
                    + "got examples of shape " + Arrays.toString(exampleShape) + "; use channel-reduction=none");
        }
    }

    @Override
    protected void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
        boolean abs = job.parameters().getBoolean(ABS);
        job.stream("saliency", exampleOf, GradientJob.copyOf(points), (GradientBatch batch) -> {
            Elementwise.copy(batch.gradient(job.inputName()), out.rows(batch.start(), batch.start() + batch.size()),
                    abs);
            job.keepOutputs(batch);
        });
    }

    @Override
    protected Tensor finish(GradientJob job, Tensor attribution) {
        return ChannelReduction.reduce(attribution, job.parameters().getString(CHANNEL_REDUCTION),
                job.attributed().channelAxis());
    }
}
