package io.xai4j.metric.faithfulness;

import io.xai4j.baseline.Baseline;
import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.family.perturbation.GroupSource;
import io.xai4j.metric.AttributionMaps;
import io.xai4j.metric.Curve;
import io.xai4j.metric.FeatureRanking;
import io.xai4j.metric.Metric;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A curve of the target score as features are removed from the example or added to a baseline in the order of
 * their attribution (Petsiuk et al.'s deletion and insertion, RISE 2018), and its area. The curve has {@code steps}
 * points (at most one per feature count, from none to all), each one perturbed copy of the example: all points are
 * scored through the {@link PerturbationEvaluator}, {@code ceil(steps / batch)} model calls per example.
 */
public abstract class PerturbationCurve implements Metric {
    static final String STEPS = "steps";
    static final String ORDER = "order";
    static final String BASELINE = "baseline";
    static final String MORF = "morf";
    static final String LERF = "lerf";

    /** The parameters of curve metrics, after the feature parameters. */
    protected static List<ParameterSpec> parameters() {
        List<ParameterSpec> all = new ArrayList<>(List.of(
                ParameterSpec.integer(STEPS, 100, 2, 1_000_000, "points on the curve, from no feature to all "
                        + "(at most one per feature count); each point is one model evaluation"),
                ParameterSpec.choice(ORDER, MORF, List.of(MORF, LERF), "morf: most relevant features first; "
                        + "lerf: least relevant first"),
                ParameterSpec.baseline(BASELINE, "zeros", "the value of a removed (or not yet added) feature: zeros, "
                        + "a number, mean, blur[:SIGMA] or an .npy file")));
        all.addAll(FeatureRanking.parameters());
        return all;
    }

    /** A descriptor of a faithfulness curve metric with the curve parameters. */
    protected static MetricDescriptor descriptor(String name, String description, boolean higherIsBetter) {
        return new MetricDescriptor(name, MetricKind.FAITHFULNESS, "1", description, Set.of(), parameters(),
                higherIsBetter);
    }

    /**
     * Writes the example with the first {@code count} ranked features perturbed into {@code row}, which holds the
     * example on entry.
     *
     * @param random a generator for this point alone (from the seed and {@code count}), for stochastic perturbations
     */
    protected abstract void fill(Tensor row, Tensor example, Tensor baseline, FeatureRanking ranking, int count,
            SplittableRandom random);

    @Override
    public MetricResult evaluate(MetricContext context, MetricRequest request) {
        String name = descriptor().name();
        Parameters parameters = request.parameters();
        int[] shape = request.exampleShape();
        GroupSource features = FeatureRanking.features(parameters, shape, name);
        boolean morf = parameters.getString(ORDER).equals(MORF);
        Baseline baseline = parameters.has(BASELINE) ? parameters.getBaseline(BASELINE) : Baseline.parse("zeros");
        int n = request.examples();
        double[] areas = new double[n];
        List<Curve> curves = new ArrayList<>();
        long evaluations = 0;
        long calls = 0;
        int points = 0;
        for (int i = 0; i < n; i++) {
            PerturbationEvaluator evaluator = request.evaluator(context, i);
            Tensor example = evaluator.example();
            FeatureGroups groups = features.of(example);
            FeatureRanking ranking = FeatureRanking.of(AttributionMaps.perElement(request.attribution().row(i), shape),
                    groups, morf);
            Tensor baselineRow = baseline.of(example);
            points = Math.min(parameters.getInt(STEPS), ranking.size() + 1);
            int[] counts = new int[points];
            double[] fractions = new double[points];
            for (int k = 0; k < points; k++) {
                counts[k] = (int) Math.round((double) k * ranking.size() / (points - 1));
                fractions[k] = (double) counts[k] / ranking.size();
            }
            float[] scores = evaluator.evaluate(name, points,
                    (k, perturbed) -> fill(perturbed, example, baselineRow, ranking, counts[k],
                            new SplittableRandom(context.seed() * 31 + counts[k])));
            double[] y = new double[points];
            for (int k = 0; k < points; k++) {
                y[k] = scores[k];
            }
            Curve curve = Curve.of(fractions, y);
            curves.add(curve);
            areas[i] = curve.auc();
            evaluations += evaluator.evaluations();
            calls += evaluator.forwardCalls();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("order", morf ? MORF : LERF);
        details.put("better", morf == descriptor().higherIsBetter() ? "higher" : "lower");
        details.put("features", features.description());
        details.put("points", points);
        if (parameters.has(BASELINE)) {
            details.put(BASELINE, baseline.spec());
        }
        details.put("modelEvaluations", evaluations);
        details.put("forwardCalls", calls);
        return new MetricResult(name, areas, curves, details);
    }

    /** Copies the elements of the first {@code count} ranked features from {@code source} into {@code row}. */
    protected static void copyFeatures(Tensor row, Tensor source, FeatureRanking ranking, int count) {
        for (int rank = 0; rank < count; rank++) {
            for (int e : ranking.members(rank)) {
                row.set(e, source.get(e));
            }
        }
    }
}
