package io.xai4j.metric;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.family.perturbation.GroupParameters;
import io.xai4j.family.perturbation.GroupSource;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The features of one example in order of their attribution, the shared core of the metrics that remove or add
 * features. A feature is a group of input elements ({@link FeatureGroups}) whose relevance is the sum of its
 * elements' ({@link AttributionMaps#perElement}); ties keep the groups' order, so the ranking is deterministic.
 *
 * @param groups  the features
 * @param order   group indices, most relevant first ({@code morf}) or least relevant first ({@code lerf})
 * @param scores  each group's relevance, by group index
 */
public record FeatureRanking(FeatureGroups groups, int[] order, double[] scores) {

    /** The feature parameters: those of the perturbation methods' feature groups ({@link GroupParameters}). */
    public static List<ParameterSpec> parameters() {
        return GroupParameters.specs();
    }

    /**
     * Where the features of examples of {@code shape} come from: the groups the parameters give, or else pixels
     * (all channels of a pixel together) of an image example ([C,H,W], [H,W,C]) and single elements of others (the
     * tokens of token ids, the values of a sequence).
     */
    public static GroupSource features(Parameters parameters, int[] shape, String metric) {
        if (!GroupParameters.given(parameters, GroupParameters.WINDOW).isEmpty()) {
            return GroupParameters.resolve(parameters, shape, message -> new XaiException(
                    ErrorCode.INVALID_PARAMETER, "metric '" + metric + "': " + message));
        }
        int[] cell = new int[shape.length];
        Arrays.fill(cell, 1);
        if (shape.length == 3) {
            int channelAxis = io.xai4j.family.perturbation.Regions.spatialAxes(shape)[0] == 0 ? 2 : 0;
            cell[channelAxis] = shape[channelAxis];
            return GroupSource.fixed(FeatureGroups.grid(cell, shape), "pixels");
        }
        return GroupSource.fixed(FeatureGroups.grid(cell, shape), "elements");
    }

    /** Ranks {@code groups} by the summed {@code relevance} of their elements. */
    public static FeatureRanking of(double[] relevance, FeatureGroups groups, boolean mostRelevantFirst) {
        double[] scores = new double[groups.groups()];
        for (int e = 0; e < relevance.length; e++) {
            scores[groups.groupOf()[e]] += relevance[e];
        }
        Comparator<Integer> byScore = Comparator.comparingDouble(g -> scores[g]);
        int[] order = IntStream.range(0, scores.length).boxed()
                .sorted(mostRelevantFirst ? byScore.reversed() : byScore).mapToInt(Integer::intValue).toArray();
        return new FeatureRanking(groups, order, scores);
    }

    /** The number of features. */
    public int size() {
        return order.length;
    }

    /** The elements of the {@code rank}-th feature in this order. */
    public int[] members(int rank) {
        return groups.members()[order[rank]];
    }
}
