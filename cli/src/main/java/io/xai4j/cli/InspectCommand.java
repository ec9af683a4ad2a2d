package io.xai4j.cli;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.ModelInspection;
import io.xai4j.onnx.OnnxInspector;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.TensorSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code xai4j inspect}: inputs, outputs and every intermediate tensor with its concrete shape. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Lists a model's inputs, outputs and intermediate tensors (layers) with their shapes.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model.")
    Path model;

    @Option(names = "--shape", paramLabel = "NAME=D1,D2,..", description = {
        "Concrete shape of an input for the probe run, e.g. image=1,3,224,224; repeatable.",
        "Symbolic dimensions default to 1."})
    Map<String, String> shapes = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelInspection inspection = OnnxInspector.inspect(model, parseShapes(shapes));
        if (json) {
            out.println(MethodsCommand.toJson(inspection));
            out.flush();
            return 0;
        }
        out.printf("%s  opset %d  ir %d  producer %s  sha256 %s%n", inspection.info().source(), inspection.opset(),
                inspection.irVersion(), inspection.producer(), inspection.info().sha256());
        out.println("batch: " + inspection.batchMode());
        out.println("inputs:");
        for (TensorSpec s : inspection.inputs()) {
            out.printf("  %-40s %-8s %s%n", s.name(), s.type(), s.shapeString());
        }
        out.println("outputs:");
        for (TensorSpec s : inspection.outputs()) {
            out.printf("  %-40s %-8s %s%n", s.name(), s.type(), s.shapeString());
        }
        out.println("layers (tensor, op, node, shape):");
        for (LayerInfo l : inspection.layers()) {
            out.printf("  %-48s %-20s %-40s %s%n", l.tensor(), l.opType(), l.node(), l.shape());
        }
        out.flush();
        return 0;
    }

    /** The most elements a probe shape may have: 2^28, a 1 GiB float32 tensor. */
    static final long MAX_PROBE_ELEMENTS = 1L << 28;

    /** Parses {@code --shape NAME=D1,D2,..} options: positive dimensions, at most {@link #MAX_PROBE_ELEMENTS}. */
    static Map<String, int[]> parseShapes(Map<String, String> shapes) {
        Map<String, int[]> parsed = new LinkedHashMap<>();
        shapes.forEach((name, dims) -> {
            int[] shape;
            try {
                shape = Arrays.stream(dims.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            } catch (NumberFormatException e) {
                throw badShape(name, dims, "expected comma-separated whole numbers, e.g. image=1,3,224,224", e);
            }
            long elements = 1;
            for (int d : shape) {
                if (d < 1) {
                    throw badShape(name, dims, "every dimension must be at least 1", null);
                }
                elements = Math.min(elements * d, Long.MAX_VALUE / Integer.MAX_VALUE);
            }
            if (elements > MAX_PROBE_ELEMENTS) {
                throw badShape(name, dims, "more than " + MAX_PROBE_ELEMENTS + " elements; probe with a smaller"
                        + " shape (shapes stay symbolic where the model declares them so)", null);
            }
            parsed.put(name, shape);
        });
        return parsed;
    }

    private static XaiException badShape(String name, String dims, String why, Exception cause) {
        return new XaiException(ErrorCode.INVALID_ARGUMENT, "bad --shape " + name + "=" + dims + "; " + why, cause);
    }
}
