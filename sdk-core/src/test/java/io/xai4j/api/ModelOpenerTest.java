package io.xai4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.plugin.LoadedModelLoader;
import io.xai4j.plugin.LoadedRuleSet;
import io.xai4j.plugin.PluginReport;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelLoader;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelOpenerTest {
    @Test
    void theLoaderGetsTheGivenThenTheDiscoveredRuleSets(@TempDir Path dir) throws Exception {
        List<ModelOptions> seen = new ArrayList<>();
        ModelLoader loader = new ModelLoader() {
            public String name() {
                return "capturing";
            }

            public boolean accepts(Path file) {
                return true;
            }

            public Model load(Path file, ModelOptions options) {
                seen.add(options);
                return null;
            }
        };
        BackwardRuleSet discovered = ruleSet("discovered");
        BackwardRuleSet given = ruleSet("given");
        PluginReport report = new PluginReport(List.of(), List.of(new LoadedModelLoader(loader, "a.jar")),
                List.of(new LoadedRuleSet(discovered, "b.jar")), List.of(), List.of(), List.of());

        new ModelOpener(report).open(Files.writeString(dir.resolve("m.onnx"), ""),
                ModelOptions.defaults().withDevice("cuda", true).withRuleSets(List.of(given)));

        assertThat(seen).singleElement().satisfies(o -> {
            assertThat(o.ruleSets()).containsExactly(given, discovered);
            assertThat(o.device()).isEqualTo("cuda");
            assertThat(o.fallbackToCpu()).isTrue();
        });
    }

    private static BackwardRuleSet ruleSet(String name) {
        return new BackwardRuleSet() {
            public String name() {
                return name;
            }

            public Map<String, io.xai4j.spi.backward.BackwardRule> rules() {
                return Map.of();
            }
        };
    }
}
