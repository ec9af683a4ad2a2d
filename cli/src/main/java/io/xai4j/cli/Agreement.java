package io.xai4j.cli;

import io.xai4j.explain.Explanation;
import io.xai4j.explain.MapAgreement;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pairwise agreement of several explanations of one input (e.g. one target per exit of a multi-exit
 * model), printed and written to {@code agreement.json}.
 */
final class Agreement {
    static final String FILE = "agreement.json";

    private Agreement() {
    }

    static void report(Map<String, Explanation> explanations, LoadedInput input, Path dir, PrintWriter out) {
        List<String> names = new ArrayList<>(explanations.keySet());
        List<Map<String, Object>> pairs = new ArrayList<>();
        out.println("  agreement (Pearson correlation of the maps):");
        for (int a = 0; a < names.size(); a++) {
            for (int b = a + 1; b < names.size(); b++) {
                Explanation ea = explanations.get(names.get(a));
                Explanation eb = explanations.get(names.get(b));
                double r = MapAgreement.correlation(ea.attribution().row(0), eb.attribution().row(0),
                        ExplanationFiles.layoutOf(ea, input));
                out.printf(Locale.ROOT, "    %s vs %s: %.3f%n", names.get(a), names.get(b), r);
                Map<String, Object> pair = new LinkedHashMap<>();
                pair.put("a", names.get(a));
                pair.put("b", names.get(b));
                pair.put("correlation", r);
                pairs.add(pair);
            }
        }
        ExplanationFiles.writeText(dir.resolve(FILE), MethodsCommand.toJson(Map.of("pairs", pairs)));
        out.println("  written: " + dir.resolve(FILE));
        out.flush();
    }
}
