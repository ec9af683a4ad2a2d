package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.plugin.PluginFolders;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsTheFolderItsJarsWhatTheyProvideAndWhyABrokenJarFailed() throws Exception {
        Path folder = PluginJars.folder(dir);
        Path good = folder.resolve(PluginJars.GOOD);
        Path broken = folder.resolve(PluginJars.BROKEN);

        CliRunner r = CliRunner.run("plugins", "--plugins", folder.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().replace(System.lineSeparator(), "\n")).contains("Plugin folders:\n  " + folder + "  (given)\n")
                .containsPattern("\n  \\S+  \\(default, missing\\)\n")
                .containsPattern("Class path:\n(.*\n)*    methods: +.*occlusion.*\n")
                .contains("Plugin jars:\n  " + broken + "\n    problems:        1, listed under Problems\n"
                        + "  " + good + "\n    methods:         edge-sum\n    rule sets:       zero-relu\n")
                .contains("Backward rule sets: deconvnet, deeplift, exact, guided-backprop, lrp, test-wrong-relu, zero-relu\n")
                .contains("Problems:\n  PLUGIN_FAILURE unknown (" + broken + "): cannot open the jar: ZipException");
    }

    @Test
    void theDefaultFolderIsSearchedWithoutOptions() throws Exception {
        Path folder = PluginJars.folder(dir);
        String before = System.getProperty(PluginFolders.PROPERTY);
        System.setProperty(PluginFolders.PROPERTY, folder.toString());
        try {
            CliRunner r = CliRunner.run("methods");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).containsPattern("(?m)^edge-sum +perturbation +doubles the input$")
                    .containsPattern("(?m)^occlusion ");
        } finally {
            if (before == null) {
                System.clearProperty(PluginFolders.PROPERTY);
            } else {
                System.setProperty(PluginFolders.PROPERTY, before);
            }
        }
    }

    @Test
    void methodsListsPluginMethods() throws Exception {
        CliRunner without = CliRunner.run("methods");
        assertThat(without.out()).doesNotContain("edge-sum");

        CliRunner with = CliRunner.run("methods", "--json", "--plugins", PluginJars.folder(dir).toString());
        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.out()).contains("\"name\" : \"edge-sum\"").contains("\"name\" : \"occlusion\"");
    }

    @Test
    void aMissingPluginFolderIsAPluginError() {
        Path missing = dir.resolve("missing");
        for (String command : new String[] {"plugins", "methods", "explain"}) {
            CliRunner r = CliRunner.run(command, "--plugins", missing.toString());
            assertThat(r.exitCode()).as(command).isEqualTo(5);
            assertThat(r.err()).as(command).isEqualTo("error: plugin folder " + missing + " (given explicitly) does"
                    + " not exist; create it or correct the path" + System.lineSeparator());
        }
    }
}
