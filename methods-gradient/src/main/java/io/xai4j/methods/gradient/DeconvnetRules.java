package io.xai4j.methods.gradient;

import io.xai4j.spi.backward.BackwardContext;

/**
 * The deconvolution network's rules (Zeiler and Fergus 2014, as Captum's {@code Deconvolution}): a rectifier
 * passes back the positive part of its output gradient whatever its input: {@code dX = max(dY, 0)}. See
 * {@link RectifierRules} for which nodes are rectifiers.
 */
public final class DeconvnetRules extends RectifierRules {
    public static final String NAME = "deconvnet";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected String rectify(BackwardContext c, String dy, String active) {
        return positivePart(c, dy);
    }
}
