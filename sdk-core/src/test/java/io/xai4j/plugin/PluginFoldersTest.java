package io.xai4j.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars in folders: where folders come from, per-jar class loaders, and broken jars. */
class PluginFoldersTest {
    private static final ClassLoader TEST_LOADER = PluginFoldersTest.class.getClassLoader();

    @TempDir
    Path dir;

    @AfterEach
    void clearDefaultFolder() {
        System.clearProperty(PluginFolders.PROPERTY);
    }

    private Path folder(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    private static Path edgeJar(Path folder) throws Exception {
        return new PluginJarBuilder().source("com.example.good.EdgeMethod", ThirdParty.METHOD_SOURCE)
                .provider(AttributionMethod.class, "com.example.good.EdgeMethod")
                .source(ThirdParty.ZERO_RELU, ThirdParty.ZERO_RELU_SOURCE)
                .provider(BackwardRuleSet.class, ThirdParty.ZERO_RELU)
                .build(folder, "edge.jar");
    }

    @Test
    void aJarInAGivenFolderContributesItsMethodsAndRuleSets() throws Exception {
        Path plugins = folder("plugins");
        Path jar = edgeJar(plugins);

        PluginReport report = PluginLoader.discover(TEST_LOADER, PluginFolders.of(List.of(plugins)));

        assertThat(report.folders()).containsExactly(new PluginFolders.Folder(plugins, PluginFolders.Origin.GIVEN));
        assertThat(report.jars()).containsExactly(jar.toString());
        assertThat(report.methods()).extracting(LoadedMethod::name).containsExactly("test-good", "edge-sum");
        assertThat(report.methods().get(1).jar()).isEqualTo(jar.toString());
        assertThat(report.ruleSets()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo(ThirdParty.ZERO_RELU_NAME);
            assertThat(r.jar()).isEqualTo(jar.toString());
            assertThat(r.ruleSet().getClass().getClassLoader()).isNotSameAs(TEST_LOADER)
                    .extracting(ClassLoader::getParent).isSameAs(AttributionMethod.class.getClassLoader());
        });
        assertThat(report.backwardRuleSets()).extracting(BackwardRuleSet::name).containsExactly("zero-relu");
        assertThat(report.problems()).as("the class path's problems only, each once")
                .isEqualTo(PluginLoader.discover(TEST_LOADER).problems());
    }

    @Test
    void foldersComeFromTheCallerThenTheEnvironmentThenTheDefaultFolder() throws Exception {
        Path given = folder("given");
        Path first = folder("env-1");
        Path second = folder("env-2");
        Path home = folder("home");
        System.setProperty(PluginFolders.PROPERTY, home.toString());
        Map<String, String> env = Map.of(PluginFolders.ENV, first + File.pathSeparator + File.pathSeparator + second
                + File.pathSeparator + given);
        Path jar = edgeJar(second);

        PluginFolders folders = PluginFolders.standard(List.of(given), env::get);

        assertThat(folders.folders()).extracting(PluginFolders.Folder::path).containsExactly(given, first, second, home);
        assertThat(folders.folders()).extracting(PluginFolders.Folder::origin).containsExactly(
                PluginFolders.Origin.GIVEN, PluginFolders.Origin.ENVIRONMENT, PluginFolders.Origin.ENVIRONMENT,
                PluginFolders.Origin.DEFAULT);
        PluginReport report = PluginLoader.discover(TEST_LOADER, folders);
        assertThat(report.methods()).filteredOn(m -> m.name().equals("edge-sum")).singleElement()
                .extracting(LoadedMethod::jar).isEqualTo(jar.toString());
    }

    @Test
    void theDefaultFolderIsSearchedAndMayBeMissing() throws Exception {
        Path home = folder("home");
        System.setProperty(PluginFolders.PROPERTY, home.toString());
        Path jar = edgeJar(home);

        PluginReport found = PluginLoader.discover(TEST_LOADER, PluginFolders.standard(List.of(), name -> null));
        assertThat(found.jars()).containsExactly(jar.toString());
        assertThat(found.ruleSets()).extracting(LoadedRuleSet::name).containsExactly(ThirdParty.ZERO_RELU_NAME);

        System.setProperty(PluginFolders.PROPERTY, dir.resolve("absent").toString());
        PluginReport none = PluginLoader.discover(TEST_LOADER, PluginFolders.standard(List.of(), name -> null));
        assertThat(none.folders()).singleElement().satisfies(f -> {
            assertThat(f.origin()).isEqualTo(PluginFolders.Origin.DEFAULT);
            assertThat(f.path()).isEqualTo(dir.resolve("absent"));
        });
        assertThat(none.jars()).isEmpty();
        assertThat(none.ruleSets()).isEmpty();
    }

    @Test
    void aMissingGivenOrListedFolderIsAPluginError() throws Exception {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> PluginLoader.discover(TEST_LOADER, PluginFolders.of(List.of(missing))))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_FAILURE))
                .hasMessage("plugin folder " + missing + " (given explicitly) does not exist; create it or correct"
                        + " the path");
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertThatThrownBy(() -> PluginLoader.discover(TEST_LOADER, PluginFolders.standard(List.of(),
                Map.of(PluginFolders.ENV, file.toString())::get)))
                .hasMessageContaining("plugin folder " + file + " (listed in XAI4J_PLUGINS) is not a folder");
    }

    /** Each jar has its own class loader: two jars that both hold com.example.shared.Greeting keep their own. */
    @Test
    void jarsDoNotSeeEachOther() throws Exception {
        Path plugins = folder("plugins");
        new PluginJarBuilder().source(ThirdParty.GREETING, ThirdParty.greetingSource("from a"))
                .source("com.example.a.Method", ThirdParty.greetingMethodSource("a"))
                .provider(AttributionMethod.class, "com.example.a.Method").build(plugins, "a.jar");
        new PluginJarBuilder().source(ThirdParty.GREETING, ThirdParty.greetingSource("from b"))
                .source("com.example.b.Method", ThirdParty.greetingMethodSource("b"))
                .provider(AttributionMethod.class, "com.example.b.Method").build(plugins, "b.jar");

        PluginReport report = PluginLoader.discover(TEST_LOADER, PluginFolders.of(List.of(plugins)));

        assertThat(report.methods()).filteredOn(m -> m.name().length() == 1)
                .extracting(m -> m.name() + ": " + m.method().descriptor().description())
                .containsExactly("a: from a", "b: from b");
    }

    @Test
    void brokenJarsAreReportedWithTheirReasonAndTheGoodOneStillLoads() throws Exception {
        Path plugins = folder("plugins");
        Files.write(plugins.resolve("0-corrupt.jar"), new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
        Path linked = new PluginJarBuilder().source(ThirdParty.LINKED, ThirdParty.LINKED_SOURCE)
                .source(ThirdParty.LINKED_HELPER, ThirdParty.LINKED_HELPER_SOURCE).omit(ThirdParty.LINKED_HELPER)
                .provider(AttributionMethod.class, ThirdParty.LINKED)
                .provider(AttributionMethod.class, "com.example.linked.Absent")
                .build(plugins, "1-linked.jar");
        Path duplicate = new PluginJarBuilder().source("com.example.good.EdgeMethod", ThirdParty.METHOD_SOURCE)
                .provider(AttributionMethod.class, "com.example.good.EdgeMethod")
                .source("com.example.rules.Exact", ThirdParty.ZERO_RELU_SOURCE.replace("ZeroRelu", "Exact")
                        .replace("\"zero-relu\"", "\"exact\""))
                .provider(BackwardRuleSet.class, "com.example.rules.Exact")
                .build(plugins, "2-duplicate.jar");
        Path good = edgeJar(plugins);

        PluginReport report = PluginLoader.discover(TEST_LOADER, PluginFolders.of(List.of(plugins)));

        assertThat(report.jars()).containsExactly(plugins.resolve("0-corrupt.jar").toString(), linked.toString(),
                duplicate.toString(), good.toString());
        assertThat(report.methods()).filteredOn(m -> m.name().equals("edge-sum")).singleElement()
                .extracting(LoadedMethod::jar).isEqualTo(duplicate.toString());
        assertThat(report.ruleSets()).singleElement().extracting(LoadedRuleSet::jar).isEqualTo(good.toString());
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.jar()).isEqualTo(plugins.resolve("0-corrupt.jar").toString());
            assertThat(p.reason()).startsWith("cannot open the jar: ZipException");
        });
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.jar()).isEqualTo(linked.toString());
            assertThat(p.provider()).isEqualTo(ThirdParty.LINKED);
            assertThat(p.reason()).contains("descriptor() failed").contains("NoClassDefFoundError")
                    .contains("com/example/linked/Helper");
        });
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.jar()).isEqualTo(linked.toString());
            assertThat(p.provider()).isEqualTo("com.example.linked.Absent");
            assertThat(p.reason()).contains("not found");
        });
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.jar()).isEqualTo(good.toString());
            assertThat(p.code()).isEqualTo(ErrorCode.DUPLICATE_METHOD);
            assertThat(p.reason()).contains("'edge-sum' is already provided by com.example.good.EdgeMethod ("
                    + duplicate + ")");
        });
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.jar()).isEqualTo(duplicate.toString());
            assertThat(p.provider()).isEqualTo("com.example.rules.Exact");
            assertThat(p.reason()).contains("'exact' is the name of the built-in backward rule set");
        });
    }
}
