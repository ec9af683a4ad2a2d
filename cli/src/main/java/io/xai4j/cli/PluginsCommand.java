package io.xai4j.cli;

import io.xai4j.inject.Xai4j;
import io.xai4j.onnx.grad.RuleSets;
import io.xai4j.plugin.LoadedMethod;
import io.xai4j.plugin.LoadedModelLoader;
import io.xai4j.plugin.PluginProblem;
import io.xai4j.plugin.PluginReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code xai4j plugins}: where each method and backend comes from, and plugins that failed to load. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "Lists discovered plugins and plugin problems.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginReport report = Xai4j.injector().getInstance(PluginReport.class);
        out.println("Methods:");
        for (LoadedMethod m : report.methods()) {
            out.printf("  %-22s %s%n", m.name(), m.jar());
        }
        out.println("Model backends:");
        for (LoadedModelLoader l : report.modelLoaders()) {
            out.printf("  %-22s %s%n", l.loader().name(), l.jar());
        }
        out.println("Backward rule sets: " + String.join(", ", RuleSets.classPath().names()));
        if (report.problems().isEmpty()) {
            out.println("Problems: none");
        } else {
            out.println("Problems:");
            for (PluginProblem p : report.problems()) {
                out.println("  " + p);
            }
        }
        out.flush();
        return 0;
    }
}
