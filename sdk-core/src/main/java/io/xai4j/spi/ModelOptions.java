package io.xai4j.spi;

import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;

/**
 * How to load a model.
 *
 * @param device            {@code cpu} or {@code cuda[:id]}
 * @param fallbackToCpu     when the device is unavailable, use the CPU (with a warning) instead of failing
 * @param intraOpThreads    threads per operator; 0 means one per core
 * @param ruleSets          backward rule sets the backend offers besides its own and those on its class path, such
 *                          as those of plugin jars; {@link io.xai4j.api.ModelOpener} adds the discovered ones
 */
public record ModelOptions(String device, boolean fallbackToCpu, int intraOpThreads, List<BackwardRuleSet> ruleSets) {
    public ModelOptions {
        ruleSets = ruleSets == null ? List.of() : List.copyOf(ruleSets);
    }

    public ModelOptions(String device, boolean fallbackToCpu, int intraOpThreads) {
        this(device, fallbackToCpu, intraOpThreads, List.of());
    }

    public static ModelOptions defaults() {
        return new ModelOptions("cpu", false, 0);
    }

    public ModelOptions withDevice(String device, boolean fallbackToCpu) {
        return new ModelOptions(device, fallbackToCpu, intraOpThreads, ruleSets);
    }

    public ModelOptions withRuleSets(List<BackwardRuleSet> value) {
        return new ModelOptions(device, fallbackToCpu, intraOpThreads, value);
    }
}
