package io.xai4j.family.perturbation;

import io.xai4j.tensor.Tensor;
import java.util.function.Function;

/**
 * Where an example's feature groups come from: fixed by the example's shape (a mask, a grid, time windows) or
 * computed from its values (superpixels).
 *
 * @param fixed       the groups of every example, or null when they are computed per example
 * @param computed    computes an example's groups when {@code fixed} is null
 * @param description how the groups were made, for the details, e.g. {@code grid [3, 2, 2]}
 */
public record GroupSource(FeatureGroups fixed, Function<Tensor, FeatureGroups> computed, String description) {

    public static GroupSource fixed(FeatureGroups groups, String description) {
        return new GroupSource(groups, null, description);
    }

    public static GroupSource computed(Function<Tensor, FeatureGroups> groups, String description) {
        return new GroupSource(null, groups, description);
    }

    /** The groups of one example. */
    public FeatureGroups of(Tensor example) {
        return fixed != null ? fixed : computed.apply(example);
    }
}
