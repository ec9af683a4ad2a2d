package io.xai4j.spi.backward;

import io.xai4j.spi.GradientRequest;
import java.util.Map;

/**
 * A named set of backward rules that changes how gradients flow through some op types, for example guided
 * backpropagation replacing the rule of {@code Relu} and keeping the exact rules everywhere else.
 *
 * <p>A rule set is found with {@link java.util.ServiceLoader}, on the class path or in a plugin jar of a plugin folder
 * ({@link io.xai4j.plugin.PluginFolders}): list the implementing class (public, with a public no-argument
 * constructor) in {@code META-INF/services/io.xai4j.spi.backward.BackwardRuleSet}. Callers select it by {@link
 * #name()}: {@link GradientRequest#ruleSet()}, or {@code --rules NAME} on the command line. Names are unique across
 * all rule sets; a duplicate is reported as a {@code PLUGIN_FAILURE} problem and the first one found is used.
 *
 * <p>A caller may select the set with parameters, {@code NAME:KEY=VALUE,...} ({@link RuleSetReference}); the
 * rules read them from {@link BackwardContext#parameters()}.
 *
 * <p>The effective rules are those of the {@link #base()} chain, overridden op type by op type with this set's
 * {@link #rules()}. Rules must emit only standard ONNX ops (default domain) valid at opset 18 and later.
 */
public interface BackwardRuleSet {
    /** The name callers select, kebab-case, for example {@code guided-backprop}. */
    String name();

    /** The rule set this one extends: {@value GradientRequest#EXACT} (the true gradient) by default; null for none. */
    default String base() {
        return GradientRequest.EXACT;
    }

    /** Rules by ONNX op type of the default domain, for example {@code Relu}. */
    Map<String, BackwardRule> rules();

    /**
     * Whether the backward pass starts from the seed times the seeded tensor (per element, the target's share of
     * the score) rather than from the seed: relevance methods such as LRP propagate the score itself, gradients a
     * unit cotangent. False by default.
     */
    default boolean startsFromScore() {
        return false;
    }
}
