package io.xai4j.spi;

import java.util.Locale;

/**
 * What a method's attribution values mean, which decides how they are drawn by default.
 *
 * <ul>
 *   <li>{@link #SIGNED}: positive values speak for the target, negative against it, zero is neutral (gradients,
 *       integrated gradients, SHAP, occlusion): drawn around zero on a diverging palette;</li>
 *   <li>{@link #NON_NEGATIVE}: zero is "no evidence" and larger is more (CAMs after ReLU, absolute saliency):
 *       drawn from zero at the palette's low end;</li>
 *   <li>{@link #SCORE}: a raw score whose zero has no meaning, only its ordering (RISE's expected score under
 *       masks): drawn from its minimum to its maximum.</li>
 * </ul>
 */
public enum ValueKind {
    SIGNED, NON_NEGATIVE, SCORE;

    /** The default for a family: CAMs are non-negative, the others signed. */
    public static ValueKind defaultFor(MethodFamily family) {
        return family == MethodFamily.CAM ? NON_NEGATIVE : SIGNED;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
