package io.xai4j.onnx.grad;

import java.util.Map;

/**
 * A named set of backward rules, found with {@link java.util.ServiceLoader}. A rule set overrides the
 * rules of its {@link #base()} set for some op types (for example {@code guided-backprop} overriding
 * {@code Relu} on top of {@code exact}).
 */
public interface RuleSet {
    /** The name requested by callers, for example {@code exact} or {@code guided-backprop}. */
    String name();

    /** The rule set this one extends, or null for a complete set. Defaults to {@code exact}. */
    default String base() {
        return ExactRuleSet.NAME;
    }

    /** Rules by ONNX op type (default domain). */
    Map<String, BackwardRule> rules();
}
