package io.xai4j.cli;

import io.xai4j.onnx.grad.RuleSets;
import io.xai4j.plugin.PluginFolders;
import io.xai4j.plugin.PluginProblem;
import io.xai4j.plugin.PluginReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code xai4j plugins}: the plugin folders, every class-path entry and plugin jar with what it provides, and every
 * jar or provider that failed. Exits with 0 even when there are problems: it is a listing, and prints them.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = {
    "Lists the plugin folders, each class-path entry and plugin jar with its methods, backward rule sets,",
    "model backends and metrics, and the plugins that failed to load, with the reason (exit code 0 all the same)."})
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginReport report = plugins.report();
        out.println("Plugin folders:" + (report.folders().isEmpty() ? " none" : ""));
        for (PluginFolders.Folder f : report.folders()) {
            out.printf("  %s  (%s%s)%n", f.path(), f.origin().label(), Files.isDirectory(f.path()) ? "" : ", missing");
        }
        Map<String, Source> sources = sources(report);
        print(out, "Class path:", sources.keySet().stream().filter(s -> !report.jars().contains(s)).toList(), sources);
        print(out, "Plugin jars:", report.jars(), sources);
        out.println("Backward rule sets: " + String.join(", ", RuleSets.with(report.backwardRuleSets()).names()));
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

    /** What each jar or class directory provides, by jar, in discovery order. */
    private static Map<String, Source> sources(PluginReport report) {
        Map<String, Source> sources = new LinkedHashMap<>();
        report.methods().forEach(m -> source(sources, m.jar()).methods.add(m.name()));
        report.ruleSets().forEach(r -> source(sources, r.jar()).ruleSets.add(r.name()));
        report.modelLoaders().forEach(l -> source(sources, l.jar()).backends.add(l.loader().name()));
        report.metrics().forEach(m -> source(sources, m.jar()).metrics.add(m.name()));
        report.jars().forEach(jar -> source(sources, jar));
        report.problems().forEach(p -> source(sources, p.jar()).problems++);
        sources.remove(PluginProblem.UNKNOWN);
        return sources;
    }

    private static Source source(Map<String, Source> sources, String jar) {
        return sources.computeIfAbsent(jar, j -> new Source());
    }

    private static void print(PrintWriter out, String heading, List<String> jars, Map<String, Source> sources) {
        out.println(heading + (jars.isEmpty() ? " none" : ""));
        for (String jar : jars) {
            Source s = sources.get(jar);
            out.println("  " + jar);
            line(out, "methods:", s.methods);
            line(out, "rule sets:", s.ruleSets);
            line(out, "model backends:", s.backends);
            line(out, "metrics:", s.metrics);
            if (s.problems > 0) {
                out.printf("    %-16s %d, listed under Problems%n", "problems:", s.problems);
            } else if (s.methods.isEmpty() && s.ruleSets.isEmpty() && s.backends.isEmpty() && s.metrics.isEmpty()) {
                out.println("    no xai4j services");
            }
        }
    }

    private static void line(PrintWriter out, String label, List<String> names) {
        if (!names.isEmpty()) {
            out.printf("    %-16s %s%n", label, String.join(", ", names));
        }
    }

    /** What one jar or class directory provides. */
    private static final class Source {
        final List<String> methods = new ArrayList<>();
        final List<String> ruleSets = new ArrayList<>();
        final List<String> backends = new ArrayList<>();
        final List<String> metrics = new ArrayList<>();
        int problems;
    }
}
