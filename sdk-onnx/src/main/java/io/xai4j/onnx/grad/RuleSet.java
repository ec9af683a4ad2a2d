package io.xai4j.onnx.grad;

import java.util.Map;

/**
 * A named set of backward rules on the protobuf-level {@link BackwardContext}, found with
 * {@link java.util.ServiceLoader}. A rule set overrides the rules of its {@link #base()} set for some op types.
 *
 * <p>Internal: it carries the built-in {@code exact} set. Other rule sets implement the public SPI
 * {@link io.xai4j.spi.backward.BackwardRuleSet} of sdk-core, which {@link RuleSets} adapts to this interface.
 */
interface RuleSet {
    /** The name requested by callers, for example {@code exact} or {@code guided-backprop}. */
    String name();

    /** The rule set this one extends, or null for a complete set. Defaults to {@code exact}. */
    default String base() {
        return ExactRuleSet.NAME;
    }

    /** Rules by ONNX op type (default domain). */
    Map<String, BackwardRule> rules();

    /**
     * The rules when the set is selected with {@code parameters}, over the effective rules {@code base} of its base
     * chain; {@link #rules()} by default.
     */
    default Map<String, BackwardRule> rules(Map<String, BackwardRule> base, Map<String, String> parameters) {
        return rules();
    }

    /** Whether the backward pass starts from the seed times the seeded tensor (relevance methods). */
    default boolean startsFromScore() {
        return false;
    }
}
