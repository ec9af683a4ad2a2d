package io.xai4j.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.xai4j.plugin.PluginJarBuilder;
import io.xai4j.plugin.PluginReport;
import io.xai4j.plugin.ThirdParty;
import io.xai4j.plugin.fixtures.GoodMethod;
import io.xai4j.plugin.fixtures.TestModelLoader;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.ModelLoader;
import io.xai4j.spi.Parameters;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectorTest {
    private static final ClassLoader TEST_LOADER = InjectorTest.class.getClassLoader();

    @Test
    void bindsDiscoveredMethodsLoadersAndTheReport() {
        Injector injector = Xai4j.injector(TEST_LOADER);

        Map<String, AttributionMethod> methods = injector.getInstance(
                Key.get(new TypeLiteral<Map<String, AttributionMethod>>() { }));
        assertThat(methods).containsOnlyKeys("test-good");
        assertThat(methods.get("test-good")).isInstanceOf(GoodMethod.class);
        Set<ModelLoader> loaders = injector.getInstance(Key.get(new TypeLiteral<Set<ModelLoader>>() { }));
        assertThat(loaders).singleElement().isInstanceOf(TestModelLoader.class);
        PluginReport report = injector.getInstance(PluginReport.class);
        assertThat(report.problems()).hasSize(2);
        MethodRegistry registry = injector.getInstance(MethodRegistry.class);
        assertThat(registry).isSameAs(injector.getInstance(MethodRegistry.class));
        assertThat(registry.get("test-good")).isSameAs(methods.get("test-good"));
        assertThat(registry.report()).isSameAs(report);
    }

    @Test
    void aThirdPartyJarRegistersAMethodByName(@TempDir Path dir) throws Exception {
        Path jar = new PluginJarBuilder()
                .source("com.example.good.EdgeMethod", ThirdParty.METHOD_SOURCE)
                .provider(AttributionMethod.class, "com.example.good.EdgeMethod")
                .build(dir, "edge-plugin.jar");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, TEST_LOADER)) {
            MethodRegistry registry = Xai4j.injector(loader).getInstance(MethodRegistry.class);

            AttributionMethod edge = registry.get("edge-sum");
            assertThat(edge.getClass().getName()).isEqualTo("com.example.good.EdgeMethod");
            assertThat(edge.getClass().getClassLoader()).isSameAs(loader);
            assertThat(registry.sourceOf("edge-sum")).contains(jar.toString());
            assertThat(registry.names()).containsExactly("edge-sum", "test-good");

            Tensor input = Tensor.of(new float[] {1, -2, 3}, 1, 3);
            AttributionRequest request = new AttributionRequest(Map.of("x", input), "x",
                    new ResolvedTarget("y", List.of(new int[] {0}), List.of("class 0")),
                    Parameters.parse(edge.descriptor(), Map.of()), Optional.empty());
            Attribution result = edge.attribute(new AttributionContext(null, null, 0), request);
            assertThat(result.tensors().get("x").toArray()).containsExactly(2, -4, 6);
        }
    }

    @Test
    void spiReferencesNoInjectionOrJsonBindingTypes() throws IOException {
        Path spi = Path.of("src/main/java/io/xai4j/spi");
        assertThat(spi).isDirectory();
        try (Stream<Path> files = Files.walk(spi).filter(Files::isRegularFile)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                assertThat(Files.readString(f)).as(f.toString())
                        .doesNotContain("com.google.inject").doesNotContain("jakarta.inject")
                        .doesNotContain("com.fasterxml.jackson.databind");
            }
        }
    }
}
