package io.xai4j.plugin;

import io.xai4j.spi.backward.BackwardRuleSet;

/**
 * A discovered backward rule set.
 *
 * @param ruleSet the instance
 * @param jar     the jar file or class directory it was loaded from
 */
public record LoadedRuleSet(BackwardRuleSet ruleSet, String jar) {
    public String name() {
        return ruleSet.name();
    }
}
