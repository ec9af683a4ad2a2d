package io.xai4j.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.error.ErrorCode;
import io.xai4j.plugin.fixtures.DuplicateGoodMethod;
import io.xai4j.plugin.fixtures.GoodMethod;
import io.xai4j.plugin.fixtures.TestModelLoader;
import io.xai4j.spi.AttributionMethod;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {
    private static final ClassLoader TEST_LOADER = PluginLoaderTest.class.getClassLoader();

    private static String testClasses() {
        return ServiceDeclarations.location(GoodMethod.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void loadsTheGoodProviderAndReportsTheBrokenOnes() {
        PluginReport report = PluginLoader.discover(TEST_LOADER);

        assertThat(report.methods()).extracting(LoadedMethod::name).containsExactly("test-good");
        assertThat(report.methods().get(0).method()).isInstanceOf(GoodMethod.class);
        assertThat(report.methods().get(0).jar()).isEqualTo(testClasses());
        assertThat(report.modelLoaders()).singleElement().satisfies(l -> assertThat(l.loader()).isInstanceOf(TestModelLoader.class));

        assertThat(report.problems()).hasSize(2);
        PluginProblem throwing = report.problems().get(0);
        assertThat(throwing.provider()).isEqualTo("io.xai4j.plugin.fixtures.ThrowingMethod");
        assertThat(throwing.reason()).contains("could not be instantiated")
                .contains("IllegalStateException: constructor failure on purpose");
        assertThat(throwing.jar()).isEqualTo(testClasses());
        assertThat(throwing.code()).isEqualTo(ErrorCode.PLUGIN_FAILURE);
        PluginProblem missing = report.problems().get(1);
        assertThat(missing.provider()).isEqualTo("io.xai4j.plugin.fixtures.DoesNotExist");
        assertThat(missing.reason()).contains("not found");
        assertThat(missing.jar()).isEqualTo(testClasses());
    }

    @Test
    void duplicateNamesKeepTheFirstAndNameBoth(@TempDir Path dir) throws IOException {
        writeServices(dir, DuplicateGoodMethod.class.getName(), "io.xai4j.plugin.fixtures.BadNameMethod",
                "io.xai4j.plugin.fixtures.NotAMethod");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, TEST_LOADER)) {
            PluginReport report = PluginLoader.discover(loader);

            assertThat(report.methods()).hasSize(1);
            assertThat(report.methods().get(0).method()).isInstanceOf(GoodMethod.class);
            PluginProblem duplicate = report.problems().stream()
                    .filter(p -> p.code() == ErrorCode.DUPLICATE_METHOD).findFirst().orElseThrow();
            assertThat(duplicate.provider()).isEqualTo(DuplicateGoodMethod.class.getName());
            assertThat(duplicate.reason()).contains("'test-good'").contains(GoodMethod.class.getName())
                    .contains(DuplicateGoodMethod.class.getName()).contains(testClasses())
                    .contains("the first found (class path first, then plugin folders in order) wins");
            assertThat(report.problems()).anySatisfy(p -> {
                assertThat(p.provider()).isEqualTo("io.xai4j.plugin.fixtures.BadNameMethod");
                assertThat(p.reason()).contains("descriptor() failed").contains("kebab-case");
            });
            assertThat(report.problems()).anySatisfy(p -> {
                assertThat(p.provider()).isEqualTo("io.xai4j.plugin.fixtures.NotAMethod");
                assertThat(p.reason()).contains("not a subtype");
                assertThat(p.jar()).as("the directory whose services file lists it").isEqualTo(dir.toString());
            });
            assertThat(report.problems()).hasSize(5);
        }
    }

    @Test
    void aBrokenJarIsNamedAndDoesNotStopAGoodOne(@TempDir Path dir) throws Exception {
        Path good = new PluginJarBuilder()
                .source("com.example.good.EdgeMethod", ThirdParty.METHOD_SOURCE)
                .provider(AttributionMethod.class, "com.example.good.EdgeMethod")
                .build(dir, "good-plugin.jar");
        Path broken = new PluginJarBuilder()
                .source("com.example.broken.FailingMethod", ThirdParty.FAILING_SOURCE)
                .provider(AttributionMethod.class, "com.example.broken.FailingMethod")
                .provider(AttributionMethod.class, "com.example.broken.Absent")
                .build(dir, "broken-plugin.jar");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {broken.toUri().toURL(), good.toUri().toURL()},
                TEST_LOADER)) {
            PluginReport report = PluginLoader.discover(loader);

            assertThat(report.methods()).extracting(LoadedMethod::name).containsExactly("test-good", "edge-sum");
            assertThat(report.methods().get(1).jar()).isEqualTo(good.toString());
            assertThat(report.problems()).anySatisfy(p -> {
                assertThat(p.provider()).isEqualTo("com.example.broken.FailingMethod");
                assertThat(p.jar()).isEqualTo(broken.toString());
                assertThat(p.reason()).contains("UnsupportedOperationException: needs a licence key");
            });
            assertThat(report.problems()).anySatisfy(p -> {
                assertThat(p.provider()).isEqualTo("com.example.broken.Absent");
                assertThat(p.jar()).isEqualTo(broken.toString());
                assertThat(p.reason()).contains("not found");
            });
        }
    }

    @Test
    void locationsAreFilePaths(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("a b.jar");
        URL inJar = new URL("jar:" + jar.toUri() + "!/META-INF/services/x");
        assertThat(ServiceDeclarations.location(inJar)).isEqualTo(jar.toString());
        URL inDir = dir.resolve("META-INF/services/x").toUri().toURL();
        assertThat(ServiceDeclarations.location(inDir)).isEqualTo(dir.toString());
    }

    static void writeServices(Path dir, String... providers) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(AttributionMethod.class.getName()),
                String.join("\n", providers) + "\n", StandardCharsets.UTF_8);
    }
}
