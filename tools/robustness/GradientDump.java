import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.xai4j.io.Npy;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.grad.OnnxGradientEngine;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the gradient engine's vector-Jacobian product of a model's first output for a given input and seed, and optionally
 * the output itself and the forward values the gradient was computed from at every Relu and MaxPool node.
 *
 * <p>Usage: {@code java -cp xai4j-cli.jar GradientDump.java MODEL INPUT.npy SEED.npy WRT OUT.npy [OUTPUT.npy]
 * [--kinks DIR]}, where WRT is the first input's name or an intermediate tensor. The model's first input is fed
 * INPUT.npy. With {@code --kinks}, DIR receives {@code t<i>.npy} for the output and input of every Relu and MaxPool
 * node (the values of the gradient model's own forward pass) and {@code nodes.tsv}: op type, output file, input file
 * (empty for a model input), output name, one line per node in graph order.
 */
public final class GradientDump {
    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>(List.of(args));
        int k = positional.indexOf("--kinks");
        Path kinks = k < 0 ? null : Path.of(positional.remove(k + 1));
        if (k >= 0) {
            positional.remove(k);
        }
        OnnxModel model = OnnxModel.load(Path.of(positional.get(0)), ModelOptions.defaults());
        String input = model.signature().inputs().get(0).name();
        String output = model.signature().outputs().get(0).name();
        Tensor x = Npy.read(Path.of(positional.get(1)));
        Tensor seed = Npy.read(Path.of(positional.get(2)));
        String wrt = positional.get(3).equals("input") ? input : positional.get(3);
        List<NodeProto> nodes = model.proto().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Relu") || n.getOpType().equals("MaxPool")).toList();
        Set<String> tensors = new LinkedHashSet<>();
        if (kinks != null) {
            nodes.forEach(n -> tensors.add(n.getOutput(0)));
            nodes.stream().map(n -> n.getInput(0)).filter(i -> !i.equals(input)).forEach(tensors::add);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OnnxGradientEngine engine = new OnnxGradientEngine(model.proto(), OrtEnvironment.getEnvironment(),
                    options)) {
                GradientResult r = engine.vjp(new GradientRequest(Map.of(input, x), output, seed, Set.of(wrt),
                        tensors, GradientRequest.EXACT, true));
                Npy.write(Path.of(positional.get(4)), r.gradients().get(wrt));
                if (positional.size() > 5) {
                    Npy.write(Path.of(positional.get(5)), r.outputs().get(output));
                }
                if (kinks != null) {
                    Files.createDirectories(kinks);
                    List<String> files = new ArrayList<>(tensors);
                    for (int i = 0; i < files.size(); i++) {
                        Npy.write(kinks.resolve("t" + i + ".npy"), r.activations().get(files.get(i)));
                    }
                    List<String> lines = new ArrayList<>();
                    for (NodeProto n : nodes) {
                        String in = n.getInput(0).equals(input) ? "" : "t" + files.indexOf(n.getInput(0));
                        lines.add(String.join("\t", n.getOpType(), "t" + files.indexOf(n.getOutput(0)), in,
                                n.getOutput(0)));
                    }
                    Files.write(kinks.resolve("nodes.tsv"), lines);
                }
            }
        }
        model.close();
    }
}
