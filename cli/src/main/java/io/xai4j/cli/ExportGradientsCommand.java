package io.xai4j.cli;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModels;
import io.xai4j.onnx.grad.GradientExport;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.spi.GradientRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xai4j export-gradients}: writes the gradient model for use in any ONNX Runtime. */
@Command(name = "export-gradients", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the model extended with its backward pass as a standalone ONNX file.",
            "Feed the model inputs plus 'seed' (the cotangent of the differentiated output, e.g. one-hot for a class);",
            "read 'grad:<tensor>' for the gradient of seed . output with respect to each --wrt tensor."})
final class ExportGradientsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model (never modified).")
    Path model;

    @Option(names = "--wrt", required = true, split = ",", paramLabel = "TENSOR",
            description = "Model inputs or intermediate tensors to differentiate with respect to; see 'xai4j inspect'.")
    List<String> wrt;

    @Option(names = "--feed", split = ",", paramLabel = "TENSOR", description = {
        "Intermediate tensors to make inputs of the exported model, fed instead of computed (e.g. an embedding",
        "output, to integrate along a path in its space, as Captum's layer methods do)."})
    List<String> feed = new ArrayList<>();

    @Option(names = "--output", paramLabel = "NAME", description = "The model output to differentiate (default: the first).")
    String output;

    @Option(names = "--activations", split = ",", paramLabel = "TENSOR", description = "Intermediate tensors to output too.")
    List<String> activations = new ArrayList<>();

    @Option(names = "--rules", defaultValue = GradientRequest.EXACT, paramLabel = "NAME",
            description = "Backward rule set (default: ${DEFAULT-VALUE}).")
    String rules;

    @Option(names = "--through-softmax", description = "Seed the output itself even when it ends in Softmax (default: seed the logits).")
    boolean throughSoftmax;

    @Option(names = "--shape", paramLabel = "NAME=D1,D2,..", description = {
        "Input shape for the probe run, e.g. image=1,3,224,224; repeatable.",
        "Default: the declared shape with symbolic dimensions 1. The batch stays symbolic in the file."})
    Map<String, String> shapes = new LinkedHashMap<>();

    @Option(names = "--out", converter = Cli.OutputPath.class, required = true, paramLabel = "FILE", description = "The gradient model file to write.")
    Path out;

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() {
        Cli.requireNames(spec, "--wrt", wrt);
        Cli.requireNames(spec, "--feed", feed);
        Cli.requireNames(spec, "--activations", activations);
        if (OnnxModels.sameFile(out, model)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--out " + out + " is the input model; choose"
                    + " another file (the input model is never overwritten)");
        }
        GradientModel gradients = GradientExport.write(model, plugins.modelOptions(), new GradientExport.Settings(wrt, feed, output,
                activations, rules, throughSoftmax, InspectCommand.parseShapes(shapes)), out);
        report(spec.commandLine().getOut(), gradients);
        return 0;
    }

    private void report(PrintWriter w, GradientModel g) {
        w.printf("wrote %s (%d bytes)%n", out, g.model().getSerializedSize());
        w.println("inputs:");
        String input = null;
        for (ValueInfoProto in : g.model().getGraph().getInputList()) {
            if (g.model().getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals(in.getName()))) {
                input = input == null && !in.getName().equals(g.seedInput()) ? in.getName() : input;
                String role = in.getName().equals(g.seedInput()) ? "  cotangent of '" + g.seededTensor() + "'" : "";
                w.printf("  %-40s %s%s%n", in.getName(), shape(in), role);
            }
        }
        w.println("outputs:");
        g.forwardOutputs().forEach(o -> w.printf("  %-40s model output%n", o));
        g.activationOutputs().forEach((t, o) -> w.printf("  %-40s activation of '%s'%n", o, t));
        g.gradientOutputs().forEach((t, o) -> w.printf("  %-40s gradient of seed . %s with respect to '%s'%n", o,
                g.seededTensor(), t));
        Set<String> dataFiles = new TreeSet<>();
        for (TensorProto t : g.model().getGraph().getInitializerList()) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                t.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
                        .forEach(e -> dataFiles.add(e.getValue()));
            }
        }
        if (!dataFiles.isEmpty()) {
            w.println("weights: in the model's external data " + dataFiles + ", read from the folder of the exported"
                    + " file; keep " + (dataFiles.size() > 1 ? "them" : "it") + " next to " + out.getFileName());
        }
        String grad = g.gradientOutputs().values().iterator().next();
        w.println("usage (Python): sess = onnxruntime.InferenceSession(\"" + out.getFileName() + "\"); "
                + "g = sess.run([\"" + grad + "\"], {\"" + input + "\": x, \"" + g.seedInput() + "\": seed})[0]");
        w.flush();
    }

    static String shape(ValueInfoProto v) {
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            dims.add(d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
        }
        return "[" + String.join(", ", dims) + "]";
    }
}
