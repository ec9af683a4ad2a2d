package io.xai4j.metric.faithfulness;

import io.xai4j.metric.FeatureRanking;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * The insertion curve: the target score as features of the example are added to the baseline, most relevant first
 * ({@code morf}; a faithful attribution makes the score rise fast, a large area) or least relevant first
 * ({@code lerf}; a small area).
 */
public final class Insertion extends PerturbationCurve {
    private static final MetricDescriptor DESCRIPTOR = descriptor("insertion", "area under the target score as "
            + "features are added to the baseline in order of attribution (morf: higher is better)", true);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void fill(Tensor row, Tensor example, Tensor baseline, FeatureRanking ranking, int count,
            SplittableRandom random) {
        row.copyFrom(baseline);
        copyFeatures(row, example, ranking, count);
    }
}
