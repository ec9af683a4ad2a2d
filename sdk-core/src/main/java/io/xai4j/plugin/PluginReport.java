package io.xai4j.plugin;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of plugin discovery: what loaded and what did not. Methods keep class-path order.
 *
 * @param methods      loaded methods, unique by name
 * @param modelLoaders loaded model loaders, unique by name
 * @param problems     every provider that could not be used, with the reason
 */
public record PluginReport(List<LoadedMethod> methods, List<LoadedModelLoader> modelLoaders,
        List<PluginProblem> problems) {
    public PluginReport {
        methods = List.copyOf(methods);
        modelLoaders = List.copyOf(modelLoaders);
        problems = List.copyOf(problems);
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** One line per problem, for logs and the CLI. */
    public String describeProblems() {
        return problems.stream().map(PluginProblem::toString).collect(Collectors.joining("\n"));
    }
}
