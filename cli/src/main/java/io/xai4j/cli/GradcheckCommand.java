package io.xai4j.cli;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.Npy;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.grad.GradientCheck.Verdict;
import io.xai4j.onnx.grad.GradientCheck;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xai4j gradcheck}: analytic gradients against central finite differences. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares the analytic gradient of <s, output> (s: a random seed) with central finite",
            "differences along random directions, per tensor. An intermediate tensor is perturbed itself and the",
            "model is run from it onward.",
            "Directions whose change is below float32 resolution are left out (NaN); a tensor with only such",
            "directions is INCONCLUSIVE.",
            "A direction marked 'kink' was measured across a kink: a Relu, LeakyRelu, PRelu, Clip or MaxPool",
            "decision differs between both points of every measurable step. A tensor FAILs when a direction exceeds",
            "the tolerance at a kink-free step (a wrong gradient); when every failing direction is marked 'kink',",
            "it is KINK-CROSSING instead: finite differences cannot tell a wrong gradient from the kinks there.",
            "Exit code 0 when no tensor fails, " + Cli.GRADCHECK_FAILED + " when some direction fails (FAIL or",
            "KINK-CROSSING)."})
final class GradcheckCommand implements Callable<Integer> {
    private static final int KINKS_SHOWN = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model.")
    Path model;

    @Option(names = "--input", paramLabel = "[NAME=]FILE", description = {"A .npy value of an input (the first input when"
            + " NAME is left out); repeatable.", "Default: seeded random normal values of the declared shape with"
            + " symbolic dimensions 1 (zeros for integer inputs)."})
    List<String> inputFiles = new ArrayList<>();

    @Option(names = "--wrt", split = ",", paramLabel = "TENSOR",
            description = {"Tensors to check: inputs or intermediate tensors (default: every floating-point input, and",
                "the embedding lookup of an input of token ids)."})
    List<String> wrt = new ArrayList<>();

    @Option(names = "--output", paramLabel = "NAME", description = "The model output (default: the first).")
    String output;

    @Option(names = "--directions", defaultValue = "4", description = "Random directions per tensor (default: ${DEFAULT-VALUE}).")
    int directions;

    @Option(names = "--epsilon", defaultValue = "1e-3", description = "Finite difference step (default: ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--tolerance", defaultValue = "5e-2", description = "Largest relative error that passes (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random inputs, seed and directions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rules", defaultValue = GradientRequest.EXACT, paramLabel = "NAME",
            description = "Backward rule set to check (default: ${DEFAULT-VALUE}).")
    String rules;

    @Option(names = "--through-softmax", description = "Seed the output itself even when it ends in Softmax (default: the logits).")
    boolean throughSoftmax;

    @Mixin
    PluginOptions plugins;

    /** The most directions checked: each costs forward passes, and more say nothing new. */
    static final int MAX_DIRECTIONS = 10_000;

    @Override
    public Integer call() {
        Cli.requireNames(spec, "--wrt", wrt);
        if (directions < 1 || directions > MAX_DIRECTIONS || !(epsilon > 0) || !(tolerance > 0)
                || !Double.isFinite(epsilon) || !Double.isFinite(tolerance)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--directions must be in 1.." + MAX_DIRECTIONS
                    + " and --epsilon and --tolerance finite and > 0; got " + directions + ", " + epsilon + ", "
                    + tolerance);
        }
        PrintWriter out = spec.commandLine().getOut();
        GradientCheck.Settings settings = new GradientCheck.Settings(output, rules, throughSoftmax, directions, epsilon,
                tolerance, seed);
        try (OnnxModel loaded = OnnxModel.load(model, plugins.modelOptions())) {
            Map<String, Tensor> inputs = GradientCheck.withDefaultInputs(loaded, inputs(loaded), seed);
            List<String> tensors = !wrt.isEmpty() ? wrt : GradientCheck.defaultTensors(loaded);
            if (tensors.isEmpty()) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the model has no floating-point input; name"
                        + " intermediate tensors with --wrt (see 'xai4j inspect')");
            }
            GradientCheck.Report report = GradientCheck.run(loaded, inputs, tensors, settings);
            out.printf(Locale.ROOT, "gradient check of <s, %s> (rules %s, %d directions, epsilon %g, tolerance %g)%n",
                    report.seededTensor(), rules, directions, epsilon, tolerance);
            for (GradientCheck.TensorCheck c : report.checks()) {
                out.printf(Locale.ROOT, "  %-40s max relative error %.3e  %s  per direction %s%n", c.tensor(),
                        c.maxError(), name(c.verdict()), format(c));
            }
            if (report.checks().stream().anyMatch(c -> c.kinkCrossings() > 0)) {
                out.println("KINK-CROSSING: every measurable step of the failing directions marked 'kink' crossed a"
                        + " kink, where the difference quotient mixes two linear pieces, so finite differences cannot"
                        + " tell a wrong gradient from the kinks there (the forward pass sits within a step, or within"
                        + " rounding, of a Relu or MaxPool decision; try other inputs or an intermediate tensor with"
                        + " --wrt). Kinks crossed:");
                for (GradientCheck.TensorCheck c : report.checks()) {
                    for (int d = 0; d < c.errors().length; d++) {
                        if (c.kinkCrossing(d)) {
                            out.printf(Locale.ROOT, "  %s direction %d: %s%n", c.tensor(), d + 1, kinks(c.kinks().get(d)));
                        }
                    }
                }
            }
            if (report.checks().stream().anyMatch(c -> c.verdict() == Verdict.INCONCLUSIVE && c.unresolved() > 0)) {
                out.println("INCONCLUSIVE: along every direction marked NaN above the change of <s, output> stayed within "
                        + (int) GradientCheck.RESOLUTION + " float32 units in the last place of its value, so finite"
                        + " differences cannot measure it; the output barely depends on this tensor here (try other"
                        + " inputs, a larger --epsilon, or an intermediate tensor with --wrt)");
            }
            out.println(name(report.verdict()));
            out.flush();
            return report.verdict() == Verdict.FAIL || report.verdict() == Verdict.KINK_CROSSING
                    ? Cli.GRADCHECK_FAILED : 0;
        }
    }

    /** The values of the --input options, by input name. */
    private Map<String, Tensor> inputs(OnnxModel loaded) {
        Map<String, Tensor> values = new LinkedHashMap<>();
        List<TensorSpec> specs = loaded.signature().inputs();
        for (String option : inputFiles) {
            int eq = option.indexOf('=');
            String name = eq > 0 ? option.substring(0, eq) : specs.get(0).name();
            TensorSpec spec = specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                    new XaiException(ErrorCode.INVALID_ARGUMENT, "--input names unknown model input '" + name
                            + "'; inputs: " + loaded.signature().inputNames()));
            Tensor t = Npy.read(Path.of(eq > 0 ? option.substring(eq + 1) : option));
            values.put(name, t.rank() == spec.rank() - 1 ? t.unsqueeze0() : t);
        }
        return values;
    }

    private static String name(Verdict v) {
        return v.name().replace('_', '-');
    }

    /** Each direction's error, marked 'kink' when its kept step crossed a kink. */
    private static String format(GradientCheck.TensorCheck c) {
        double[] errors = c.errors();
        List<String> parts = new ArrayList<>();
        for (int d = 0; d < errors.length; d++) {
            parts.add(String.format(Locale.ROOT, "%.1e", errors[d]) + (c.kinks().get(d).isEmpty() ? "" : " kink"));
        }
        return parts.toString();
    }

    /** The first few crossed kinks: tensor (n elements), .... */
    private static String kinks(Map<String, Integer> crossed) {
        List<String> named = crossed.entrySet().stream().limit(KINKS_SHOWN).map(e -> e.getKey() + " (" + e.getValue()
                + (e.getValue() == 1 ? " element)" : " elements)")).toList();
        return String.join(", ", named) + (crossed.size() > KINKS_SHOWN ? " and " + (crossed.size() - KINKS_SHOWN)
                + " more" : "");
    }
}
