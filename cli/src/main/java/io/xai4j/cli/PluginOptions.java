package io.xai4j.cli;

import com.google.inject.Injector;
import io.xai4j.inject.Xai4j;
import io.xai4j.plugin.PluginFolders;
import io.xai4j.plugin.PluginLoader;
import io.xai4j.plugin.PluginReport;
import io.xai4j.spi.ModelOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --plugins DIR}, shared by the commands that use methods or rule sets: discovery over the class path, the
 * given folders, {@value PluginFolders#ENV} and the default folder, run once per command.
 */
final class PluginOptions {
    @Option(names = "--plugins", paramLabel = "DIR", description = {"A folder of plugin jars (methods, backward rule"
            + " sets, model backends, metrics), each jar loaded on its own; repeatable.",
        "Searched after these: the folders in " + PluginFolders.ENV + ", then ~/.xai4j/plugins."})
    List<Path> folders = new ArrayList<>();

    private PluginReport report;

    /** The discovery result. A missing given folder is a plugin error (exit code 5). */
    PluginReport report() {
        if (report == null) {
            report = PluginLoader.discover(PluginFolders.standard(folders));
        }
        return report;
    }

    Injector injector() {
        return Xai4j.injector(report());
    }

    /** Default model options with the discovered backward rule sets, for commands that load ONNX models directly. */
    ModelOptions modelOptions() {
        return ModelOptions.defaults().withRuleSets(report().backwardRuleSets());
    }
}
