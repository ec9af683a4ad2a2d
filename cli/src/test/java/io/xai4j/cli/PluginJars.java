package io.xai4j.cli;

import io.xai4j.plugin.PluginJarBuilder;
import io.xai4j.plugin.ThirdParty;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.nio.file.Files;
import java.nio.file.Path;

/** Plugin folders for the command-line tests, built at test time. */
final class PluginJars {
    static final String BROKEN = "broken.jar";
    static final String GOOD = "zero-relu.jar";

    private PluginJars() {
    }

    /**
     * A folder with {@value #GOOD} (the method {@code edge-sum} and the rule set {@value ThirdParty#ZERO_RELU_NAME},
     * through which no gradient passes a Relu) and {@value #BROKEN}, which is not a jar.
     */
    static Path folder(Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        new PluginJarBuilder().source("com.example.good.EdgeMethod", ThirdParty.METHOD_SOURCE)
                .provider(AttributionMethod.class, "com.example.good.EdgeMethod")
                .source(ThirdParty.ZERO_RELU, ThirdParty.ZERO_RELU_SOURCE)
                .provider(BackwardRuleSet.class, ThirdParty.ZERO_RELU)
                .build(Files.createDirectories(dir.resolve("build")), GOOD);
        Files.move(dir.resolve("build").resolve(GOOD), folder.resolve(GOOD));
        Files.writeString(folder.resolve(BROKEN), "not a jar");
        return folder;
    }
}
