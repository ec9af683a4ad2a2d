package io.xai4j.methods.gradient;

import io.xai4j.spi.backward.BackwardContext;
import java.util.List;
import java.util.Map;

/**
 * Guided backpropagation's rules (Springenberg et al. 2015, as Captum's {@code GuidedBackprop}): a rectifier
 * passes back only the positive part of its output gradient, and only where its input is positive:
 * {@code dX = max(dY, 0) [X > 0]}. See {@link RectifierRules} for which nodes are rectifiers.
 */
public final class GuidedBackpropRules extends RectifierRules {
    public static final String NAME = "guided-backprop";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected String rectify(BackwardContext c, String dy, String active) {
        return c.emit("Where", List.of(active, positivePart(c, dy), c.scalar(0, c.input(0))), Map.of());
    }
}
