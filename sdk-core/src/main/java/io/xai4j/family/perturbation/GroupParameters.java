package io.xai4j.family.perturbation;

import io.xai4j.family.perturbation.Regions;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.ParameterType;
import io.xai4j.spi.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The feature-group parameters shared by the methods that perturb groups of elements: {@code mask}, {@code grid},
 * {@code window} and {@code superpixels} (with {@code segments}); at most one is given. Without any, the groups are a
 * grid of about 1/8 of each spatial axis, or single elements of a rank-1 example (one group per token of an [N,T]
 * input of token ids). Occlusion, whose {@code window} is its sliding window, names time windows
 * {@value #TIME_WINDOW}.
 */
public final class GroupParameters {
    public static final String MASK = "mask";
    public static final String GRID = "grid";
    public static final String WINDOW = "window";
    /** The name of time windows for occlusion. */
    public static final String TIME_WINDOW = "time-window";
    public static final String SUPERPIXELS = "superpixels";
    public static final String SEGMENTS = "segments";
    /** The number of superpixels when {@code segments} is not given. */
    public static final int DEFAULT_SEGMENTS = 16;

    private GroupParameters() {
    }

    /** The parameter specs, in the order the methods list them. */
    public static List<ParameterSpec> specs() {
        return specs(WINDOW);
    }

    /** The parameter specs with time windows named {@code windowName}. */
    public static List<ParameterSpec> specs(String windowName) {
        return List.of(
                ParameterSpec.tensor(MASK, "a tensor (an .npy file) of whole-number group ids whose shape broadcasts "
                        + "to one example (e.g. [H,W] for [3,H,W]); one of " + String.join(", ", names(windowName))),
                new ParameterSpec(GRID, ParameterType.INT_LIST, null, "group box size per axis, for the last "
                        + "axes (e.g. 8,8); the default groups: about 1/8 of each spatial axis, or single elements of a "
                        + "1-D example (tokens)",
                        null, 1.0, null),
                new ParameterSpec(windowName, ParameterType.INT, null, "time steps per group of a sequence example "
                        + "[T] or [T,F] (all features of a window together)", null, 1.0, null),
                ParameterSpec.choice(SUPERPIXELS, null, List.of("slic", "felzenszwalb"), "superpixels of each "
                        + "preprocessed image example as groups: SLIC or graph-based (Felzenszwalb) segmentation"),
                new ParameterSpec(SEGMENTS, ParameterType.INT, null, "about how many superpixels (at most, for "
                        + "felzenszwalb); default " + DEFAULT_SEGMENTS, null, 1.0, 100_000.0));
    }

    /** The groups the parameters ask for, for examples of {@code shape}. */
    public static GroupSource resolve(Parameters parameters, int[] shape, Function<String, RuntimeException> error) {
        return resolve(parameters, shape, error, WINDOW);
    }

    /** The group parameters among {@code parameters}, time windows named {@code windowName}. */
    public static List<String> given(Parameters parameters, String windowName) {
        return names(windowName).stream().filter(parameters::has).toList();
    }

    /** As {@link #resolve(Parameters, int[], Function)}, time windows named {@code windowName}. */
    public static GroupSource resolve(Parameters parameters, int[] shape, Function<String, RuntimeException> error,
            String windowName) {
        List<String> given = given(parameters, windowName);
        if (given.size() > 1) {
            throw error.apply("give one of " + String.join(", ", names(windowName)) + " to make feature groups, not "
                    + String.join(" and ", given));
        }
        String which = given.isEmpty() ? GRID : given.get(0).equals(windowName) ? WINDOW : given.get(0);
        if (parameters.has(SEGMENTS) && !which.equals(SUPERPIXELS)) {
            throw error.apply("'segments' sets the number of superpixels; give it with superpixels=slic or "
                    + "superpixels=felzenszwalb");
        }
        return switch (which) {
            case MASK -> {
                String source = parameters.asText().get(MASK);
                yield GroupSource.fixed(FeatureGroups.fromMask(parameters.getTensor(MASK), source, shape, error),
                        "mask " + source);
            }
            case WINDOW -> timeWindows(parameters.getInt(windowName), shape);
            case SUPERPIXELS -> superpixels(parameters.getString(SUPERPIXELS),
                    parameters.has(SEGMENTS) ? parameters.getInt(SEGMENTS) : DEFAULT_SEGMENTS, shape, error);
            default -> {
                int[] cell = parameters.has(GRID)
                        ? Regions.perAxis(GRID, parameters.getIntList(GRID), shape, shape, error)
                        : Regions.defaultSize(shape);
                yield GroupSource.fixed(FeatureGroups.grid(cell, shape), "grid " + Arrays.toString(cell));
            }
        };
    }

    private static List<String> names(String windowName) {
        return List.of(MASK, GRID, windowName, SUPERPIXELS);
    }

    /** Superpixels of each example, computed from its values. */
    private static GroupSource superpixels(String algorithm, int segments, int[] shape,
            Function<String, RuntimeException> error) {
        if (shape.length < 2 || shape.length > 3) {
            throw error.apply("superpixels need image examples [C,H,W], [H,W,C] or [H,W], got example shape "
                    + Arrays.toString(shape) + "; use mask, grid or window");
        }
        boolean slic = algorithm.equals("slic");
        return GroupSource.computed(example -> {
            Pixels pixels = Pixels.of(example, shape);
            return pixels.groups(slic ? Slic.segment(pixels, segments) : Felzenszwalb.segment(pixels, segments));
        }, algorithm + " superpixels, about " + segments);
    }

    /** Windows of {@code window} steps along axis 0 (time), every other axis whole. */
    private static GroupSource timeWindows(int window, int[] shape) {
        int[] cell = shape.clone();
        cell[0] = Math.min(window, shape[0]);
        return GroupSource.fixed(FeatureGroups.grid(cell, shape), "time windows of " + cell[0] + " steps");
    }
}
