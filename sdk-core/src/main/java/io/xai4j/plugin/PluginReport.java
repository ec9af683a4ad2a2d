package io.xai4j.plugin;

import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of plugin discovery: what loaded and what did not. Everything keeps discovery order: the class path
 * first, then the plugin jars folder by folder.
 *
 * @param methods      loaded methods, unique by name
 * @param modelLoaders loaded model loaders, unique by name
 * @param ruleSets     loaded backward rule sets, unique by name
 * @param problems     every jar or provider that could not be used, with the reason
 * @param folders      the plugin folders searched
 * @param jars         every jar found in those folders, loaded or not, as in {@link LoadedMethod#jar()}
 * @param metrics      loaded trust metrics ({@link io.xai4j.metric.Metric}), unique by name
 */
public record PluginReport(List<LoadedMethod> methods, List<LoadedModelLoader> modelLoaders,
        List<LoadedRuleSet> ruleSets, List<PluginProblem> problems, List<PluginFolders.Folder> folders,
        List<String> jars, List<LoadedMetric> metrics) {
    public PluginReport {
        metrics = List.copyOf(metrics);
        methods = List.copyOf(methods);
        modelLoaders = List.copyOf(modelLoaders);
        ruleSets = List.copyOf(ruleSets);
        problems = List.copyOf(problems);
        folders = List.copyOf(folders);
        jars = List.copyOf(jars);
    }

    /** A report without metrics. */
    public PluginReport(List<LoadedMethod> methods, List<LoadedModelLoader> modelLoaders,
            List<LoadedRuleSet> ruleSets, List<PluginProblem> problems, List<PluginFolders.Folder> folders,
            List<String> jars) {
        this(methods, modelLoaders, ruleSets, problems, folders, jars, List.of());
    }

    /** A report of methods and model loaders only, as discovery over a class loader without folders gives. */
    public PluginReport(List<LoadedMethod> methods, List<LoadedModelLoader> modelLoaders,
            List<PluginProblem> problems) {
        this(methods, modelLoaders, List.of(), problems, List.of(), List.of());
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** The rule set instances, for {@link io.xai4j.spi.ModelOptions#withRuleSets}. */
    public List<BackwardRuleSet> backwardRuleSets() {
        return ruleSets.stream().map(LoadedRuleSet::ruleSet).toList();
    }

    /** One line per problem, for logs and the CLI. */
    public String describeProblems() {
        return problems.stream().map(PluginProblem::toString).collect(Collectors.joining("\n"));
    }
}
