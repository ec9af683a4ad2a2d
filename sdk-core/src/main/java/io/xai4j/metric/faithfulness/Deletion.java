package io.xai4j.metric.faithfulness;

import io.xai4j.metric.FeatureRanking;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * The deletion curve: the target score as features are replaced by the baseline, most relevant first ({@code
 * morf}; a faithful attribution makes the score fall fast, a small area) or least relevant first ({@code lerf}; a
 * large area).
 */
public final class Deletion extends PerturbationCurve {
    private static final MetricDescriptor DESCRIPTOR = descriptor("deletion", "area under the target score as "
            + "features are replaced by the baseline in order of attribution (morf: lower is better)", false);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void fill(Tensor row, Tensor example, Tensor baseline, FeatureRanking ranking, int count,
            SplittableRandom random) {
        copyFeatures(row, baseline, ranking, count);
    }
}
