package io.xai4j.cli;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Preprocessing;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.onnx.explain.ExplainerModel;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.GradientRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xai4j export-explainer}: writes an attribution method as an ONNX model, a thin wrapper of {@link ExplainerExport}. */
@Command(name = "export-explainer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the model extended with an attribution method as a standalone ONNX file.",
            "Feed the model inputs plus 'target' (int64, one class per example; -1 for the predicted class);",
            "read the model outputs plus 'attribution', 'target_class' and the method's own outputs."})
final class ExportExplainerCommand implements Callable<Integer> {
    /** The explainers' outputs the usage line reads (made unique with a suffix when the model has the name). */
    private static final List<String> READ_OUTPUTS = List.of("attribution", "convergence_delta", "conservation_error",
            "heatmap");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model (never modified).")
    Path model;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = {"The method to export: a gradient",
        "method, a relevance method, a CAM (gradient, cam, eigen-cam, score-cam, ablation-cam, activation-map) or",
        "occlusion (see the README's export section)."})
    String method;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A method parameter, e.g. steps=32; repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--layer", paramLabel = "TENSOR", description = "The layer of a CAM method (default: chosen as by 'explain').")
    String layer;

    @Option(names = "--rules", defaultValue = GradientRequest.EXACT, paramLabel = "NAME",
            description = {"Backward rule set of the gradient methods without their own (default: ${DEFAULT-VALUE});",
                "deeplift only through --method deeplift."})
    String rules;

    @Option(names = "--preprocess", paramLabel = "PRESET|SPEC", description = {"Image preprocessing the exported",
        "model's input has had: imagenet, none, or key=value list, as for explain; its pixel range fixes lrp's box",
        "bounds (low, high) unless given (default: lrp's defaults, ImageNet's range)."})
    String preprocess;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = {"Seed of the noise that smoothgrad, smoothgrad-sq, vargrad and gradient-shap generate",
                "(default: ${DEFAULT-VALUE}; gradient-shap draws its path positions with the seed plus 1)."})
    long seed;

    @Option(names = "--noise-input", description = {"Make smoothgrad, smoothgrad-sq, vargrad and gradient-shap read",
        "standard normal noise from a 'noise' input of shape [samples, N, ...] instead of generating it, and",
        "gradient-shap its path positions from an 'alpha' input of shape [samples, N]."})
    boolean noiseInput;

    @Option(names = "--out", converter = Cli.OutputPath.class, paramLabel = "FILE", description = "The file to write (default: <model>.<method>.onnx in the current folder).")
    Path out;

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() {
        Path file = out != null ? out : Path.of(stem(model) + "." + method + ".onnx");
        MethodRegistry registry = plugins.injector().getInstance(MethodRegistry.class);
        AttributionMethod chosen = registry.get(method);
        if (preprocess != null && chosen.descriptor().parameter("low").isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--preprocess fixes the input value range of a method"
                    + " that takes one (lrp's box bounds low and high); method '" + method + "' takes none, so leave"
                    + " it out");
        }
        Map<String, String> parameters = preprocess == null ? params
                : ExplainCommand.withValueRange(chosen.descriptor(), params, Preprocessing.parse(preprocess));
        ExplainerModel explainer = ExplainerExport.write(model, plugins.modelOptions(), new ExplainerExport.Request(
                chosen, parameters, layer, rules, seed, noiseInput), file);
        report(spec.commandLine().getOut(), explainer, file);
        return 0;
    }

    private static void report(PrintWriter w, ExplainerModel e, Path file) {
        w.printf("wrote %s (%d bytes)%n", file, e.model().getSerializedSize());
        w.println("inputs:");
        for (ValueInfoProto in : e.model().getGraph().getInputList()) {
            if (e.model().getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals(in.getName()))) {
                String role = in.getName().equals(e.targetInput()) ? "  class per example, -1 for the predicted class"
                        : in.getName().equals(e.input()) ? "  explained"
                        : in.getName().equals("noise") ? "  standard normal noise, one block per sample"
                        : in.getName().equals("alpha") ? "  path positions in [0,1), one row per sample" : "";
                w.printf("  %-30s %s%s%n", in.getName(), ExportGradientsCommand.shape(in), role);
            }
        }
        w.println("outputs:");
        for (ValueInfoProto o : e.model().getGraph().getOutputList()) {
            w.printf("  %-30s %s%n", o.getName(), ExportGradientsCommand.shape(o));
        }
        w.println("usage (Python): " + pythonUsage(e, file));
        w.flush();
    }

    /** One line of Python that runs the explainer: every fed input and the explainer's own outputs. */
    static String pythonUsage(ExplainerModel e, Path file) {
        List<String> feeds = new ArrayList<>();
        for (ValueInfoProto in : e.model().getGraph().getInputList()) {
            String name = in.getName();
            if (e.model().getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals(name))) {
                String value = name.equals(e.targetInput()) ? "numpy.full(len(x), -1, dtype=numpy.int64)"
                        : name.equals(e.input()) ? "x" : name.replaceAll("[^A-Za-z0-9_]", "_");
                feeds.add("\"" + name + "\": " + value);
            }
        }
        List<String> outputs = e.outputs().stream().filter(o -> READ_OUTPUTS.stream().anyMatch(o::startsWith))
                .toList();
        return "sess = onnxruntime.InferenceSession(\"" + file.getFileName() + "\"); "
                + String.join(", ", outputs.stream().map(o -> o.replaceAll("[^A-Za-z0-9_]", "_")).toList())
                + " = sess.run([" + String.join(", ", outputs.stream().map(o -> "\"" + o + "\"").toList()) + "], {"
                + String.join(", ", feeds) + "})";
    }

    private static String stem(Path model) {
        String name = model.getFileName().toString();
        return name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
    }
}
