package io.xai4j.metric;

/**
 * A curve of model scores over the fraction of features removed or added, with its area.
 *
 * @param fractions the fraction of features removed (or added) at each point, from 0 to 1, non-decreasing
 * @param scores    the target score at each point
 * @param auc       the area under the curve over [0, 1] (trapezoids)
 */
public record Curve(double[] fractions, double[] scores, double auc) {
    public Curve {
        if (fractions.length != scores.length || fractions.length < 2) {
            throw new IllegalArgumentException("a curve needs as many fractions as scores, at least 2; got "
                    + fractions.length + " and " + scores.length);
        }
        fractions = fractions.clone();
        scores = scores.clone();
    }

    /** The curve through the points, with its trapezoidal area. */
    public static Curve of(double[] fractions, double[] scores) {
        double area = 0;
        for (int k = 1; k < fractions.length; k++) {
            area += (fractions[k] - fractions[k - 1]) * (scores[k] + scores[k - 1]) / 2;
        }
        return new Curve(fractions, scores, area);
    }
}
