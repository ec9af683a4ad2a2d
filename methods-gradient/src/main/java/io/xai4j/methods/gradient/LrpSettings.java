package io.xai4j.methods.gradient;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Preprocessing;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of the {@code lrp} rule set, as {@code lrp:KEY=VALUE,...} gives them
 * ({@link io.xai4j.spi.backward.RuleSetReference}); each has a default.
 *
 * @param composite  the rule of each layer
 * @param epsilon    the epsilon rule's stabiliser
 * @param gamma      the gamma rule's weight on positive parameters
 * @param alpha      the alpha-beta rule's weight on positive contributions
 * @param beta       the alpha-beta rule's weight on negative contributions
 * @param stabilizer added (with the sign of the denominator) to every other rule's denominator
 * @param low        the box rule's lowest input value: one, or one per channel
 * @param high       the box rule's highest input value: one, or one per channel
 */
record LrpSettings(LrpComposite composite, double epsilon, double gamma, double alpha, double beta,
        double stabilizer, float[] low, float[] high) {
    static final String COMPOSITE = "composite";
    static final String EPSILON = "epsilon";
    static final String GAMMA = "gamma";
    static final String ALPHA = "alpha";
    static final String BETA = "beta";
    static final String STABILIZER = "stabilizer";
    static final String LOW = "low";
    static final String HIGH = "high";
    /** The defaults; {@code low} and {@code high} are the pixel range 0..1 after ImageNet's mean and std. */
    static final Map<String, String> DEFAULTS = defaults();

    /** Reads the parameters, defaults for those not given. */
    static LrpSettings of(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!DEFAULTS.containsKey(key)) {
                throw new XaiException(ErrorCode.INVALID_PARAMETER, "unknown lrp rule set parameter '" + key
                        + "'; expected " + String.join(", ", DEFAULTS.keySet()));
            }
        }
        Map<String, String> p = new LinkedHashMap<>(DEFAULTS);
        p.putAll(parameters);
        float[] low = floats(p, LOW);
        float[] high = floats(p, HIGH);
        if (low.length != high.length) {
            throw invalid("low and high need as many values, got " + low.length + " and " + high.length);
        }
        return new LrpSettings(LrpComposite.parse(p.get(COMPOSITE)), number(p, EPSILON), number(p, GAMMA),
                number(p, ALPHA), number(p, BETA), number(p, STABILIZER), low, high);
    }

    private static Map<String, String> defaults() {
        String[] imagenet = Preprocessing.IMAGENET.valueRangeText();
        Map<String, String> d = new LinkedHashMap<>();
        d.put(COMPOSITE, "epsilon-plus");
        d.put(EPSILON, "1e-6");
        d.put(GAMMA, "0.25");
        d.put(ALPHA, "2");
        d.put(BETA, "1");
        d.put(STABILIZER, "1e-6");
        d.put(LOW, imagenet[0]);
        d.put(HIGH, imagenet[1]);
        return Collections.unmodifiableMap(d);
    }

    private static double number(Map<String, String> p, String key) {
        try {
            double v = Double.parseDouble(p.get(key));
            if (!Double.isFinite(v) || v < 0) {
                throw invalid(key + " must be a finite number >= 0, got " + p.get(key));
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid(key + " must be a number, got '" + p.get(key) + "'");
        }
    }

    private static float[] floats(Map<String, String> p, String key) {
        List<String> parts = Arrays.asList(p.get(key).split(":"));
        float[] v = new float[parts.size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Float.parseFloat(parts.get(i).trim());
            } catch (NumberFormatException e) {
                throw invalid(key + " must be a number or numbers separated by ':' (one per channel), such as "
                        + DEFAULTS.get(key) + "; got '" + p.get(key) + "'");
            }
        }
        return v;
    }

    private static XaiException invalid(String message) {
        return new XaiException(ErrorCode.INVALID_PARAMETER, "lrp: " + message);
    }
}
