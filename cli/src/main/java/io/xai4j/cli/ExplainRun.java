package io.xai4j.cli;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.Xai;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Agreement;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.Prediction;
import io.xai4j.io.ExplanationFiles;
import io.xai4j.io.FolderNames;
import io.xai4j.io.LoadedInput;
import io.xai4j.io.RunRecords;
import io.xai4j.render.HeatmapStyle;
import io.xai4j.spi.Model;
import io.xai4j.target.Target;
import io.xai4j.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The work of {@code xai4j explain} once its options are read: each input with each method, for every target, the
 * explanations written one directory per example and printed.
 *
 * @param outDir      {@code --out}
 * @param outputNames each input file's folder name (its stem, made distinct when stems repeat)
 * @param nested      whether the run has several examples or methods, so files go to {@code <name>/<method>/}
 * @param targets     the {@code --target}s as given, for directory names when there are several
 * @param records     the JSON Lines records of a run over folders, or null
 */
record ExplainRun(Xai xai, Model model, Map<String, Tensor> fed, HeatmapStyle style, Path outDir,
        Map<Path, String> outputNames, boolean nested, List<Target> targets, RunRecords records, PrintWriter out) {

    /**
     * Explains every example of one input with one method, for each target ({@code perInput}: this input's part of
     * each {@code --target}), as a batch, and writes one directory per example ({@code <stem>-<i>} when the input
     * holds several), method and target, with the agreement of several targets.
     */
    void explain(LoadedInput input, String method, ExplainOptions.Builder options, List<Target> perInput) {
        List<Map<String, Explanation>> done = new ArrayList<>();
        for (int e = 0; e < input.examples(); e++) {
            done.add(new LinkedHashMap<>());
        }
        for (int t = 0; t < perInput.size(); t++) {
            List<Explanation> explanations = xai.explain(model, input, options.target(perInput.get(t)).build(), fed);
            for (Explanation explanation : explanations) {
                for (int e = 0; e < input.examples(); e++) {
                    Explanation one = explanation.example(e);
                    String name = (targets.size() > 1 ? targets.get(t).spec() + " " : "") + one.targetLabels().get(0);
                    Path dir = exampleDir(input, e, method);
                    Path targetDir = explanations.size() == 1 && targets.size() == 1 ? dir : dir.resolve(FolderNames.safe(name));
                    List<Path> written = ExplanationFiles.write(one, input.example(e), style, targetDir);
                    report(input.source().getFileName() + (input.examples() > 1 ? "[" + e + "]" : ""), one, written);
                    if (records != null) {
                        records.add(one, written);
                    }
                    done.get(e).put(name, one);
                }
            }
        }
        for (int e = 0; e < input.examples(); e++) {
            LoadedInput example = input.example(e);
            List<Agreement> pairs = new ArrayList<>();
            for (Map<String, Explanation> comparable : byKind(done.get(e))) {
                if (comparable.size() > 1) {
                    pairs.addAll(Agreement.pairs(comparable, x -> ExplanationFiles.layoutOf(x, example)));
                }
            }
            if (!pairs.isEmpty()) {
                printAgreement(pairs, exampleDir(input, e, method));
            }
        }
    }

    /** Maps of the input and step matrices ({@code matrix:C}) apart: only maps of one kind are compared. */
    private static List<Map<String, Explanation>> byKind(Map<String, Explanation> explanations) {
        Map<Boolean, Map<String, Explanation>> kinds = new LinkedHashMap<>();
        explanations.forEach((name, x) -> kinds.computeIfAbsent(x.details().containsKey(Explainer.TARGET_MATRIX),
                k -> new LinkedHashMap<>()).put(name, x));
        return List.copyOf(kinds.values());
    }

    /**
     * The target of each input: a per-example list gives one target per example, in order over the inputs and
     * their examples (an input of several examples gets its part of the list).
     */
    static List<Target> targetsPerInput(Target target, List<Integer> examples) {
        if (!(target instanceof Target.PerExample perExample)) {
            return Collections.nCopies(examples.size(), target);
        }
        int total = examples.stream().mapToInt(Integer::intValue).sum();
        if (perExample.targets().size() != total) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--target '" + target.spec() + "' gives "
                    + perExample.targets().size() + " targets for " + total + (total == 1 ? " example" : " examples")
                    + (examples.size() > 1 ? " (" + examples.stream().map(String::valueOf)
                    .collect(Collectors.joining(" + ")) + " in the " + examples.size() + " inputs)" : "")
                    + "; give one per example, separated by ';'");
        }
        List<Target> result = new ArrayList<>();
        int next = 0;
        for (int n : examples) {
            List<Target> own = perExample.targets().subList(next, next + n);
            result.add(n == 1 ? own.get(0) : new Target.PerExample(own));
            next += n;
        }
        return result;
    }

    /** {@code --out}, or for a run of several examples or methods {@code --out/<name>[-<i>]/<method>}. */
    private Path exampleDir(LoadedInput input, int example, String method) {
        String name = outputNames.getOrDefault(input.source(), input.stem());
        String stem = input.examples() > 1 ? name + "-" + example : name;
        return nested ? outDir.resolve(stem).resolve(method) : outDir;
    }

    private void printAgreement(List<Agreement> pairs, Path dir) {
        out.println("  agreement (Pearson correlation of the maps):");
        for (Agreement pair : pairs) {
            out.printf(Locale.ROOT, "    %s vs %s: %.3f%n", pair.a(), pair.b(), pair.correlation());
        }
        out.println("  written: " + ExplanationFiles.writeAgreement(pairs, dir));
        out.flush();
    }

    private void report(String input, Explanation e, List<Path> written) {
        List<Prediction> top = e.predictions().get(0);
        out.printf("%s: predicted %s; explained %s with %s in %.0f ms%n", input,
                top.stream().limit(3).map(p -> String.format("%s (p=%.2f)", p.label(), p.probability()))
                        .collect(Collectors.joining(", ")),
                e.targetLabels().get(0), e.method(), e.provenance().timingsMillis().getOrDefault("attribution", 0.0));
        Object layer = e.provenance().layer() != null ? e.provenance().layer() : e.details().get("layer");
        if (layer != null) {
            out.println("  layer:   " + layer + " (" + e.details().getOrDefault("layerSelection", "given") + ")");
        }
        if (e.details().get(Explainer.WARNINGS) instanceof List<?> warnings) {
            warnings.forEach(w -> out.println("  warning: " + w));
        }
        out.println("  heatmap: " + written.get(0));
        out.println("  data:    " + written.stream().skip(1).map(Path::toString).collect(Collectors.joining(", ")));
        out.flush();
    }

}
