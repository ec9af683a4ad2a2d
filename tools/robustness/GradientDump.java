import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.xai4j.io.Npy;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.grad.OnnxGradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Writes the gradient engine's vector-Jacobian product of a model's first output for a given input and seed, and optionally
 * the output itself.
 *
 * <p>Usage: {@code java -cp xai4j-cli.jar GradientDump.java MODEL INPUT.npy SEED.npy WRT OUT.npy [OUTPUT.npy]}, where WRT is
 * the first input's name or an intermediate tensor. The model's first input is fed INPUT.npy.
 */
public final class GradientDump {
    public static void main(String[] args) throws Exception {
        OnnxModel model = OnnxModel.load(Path.of(args[0]), ModelOptions.defaults());
        String input = model.signature().inputs().get(0).name();
        String output = model.signature().outputs().get(0).name();
        Tensor x = Npy.read(Path.of(args[1]));
        Tensor seed = Npy.read(Path.of(args[2]));
        String wrt = args[3].equals("input") ? input : args[3];
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OnnxGradientEngine engine = new OnnxGradientEngine(model.proto(), OrtEnvironment.getEnvironment(),
                    options)) {
                GradientResult r = engine.vjp(new GradientRequest(Map.of(input, x), output, seed, Set.of(wrt),
                        Set.of(), GradientRequest.EXACT, true));
                Npy.write(Path.of(args[4]), r.gradients().get(wrt));
                if (args.length > 5) {
                    Npy.write(Path.of(args[5]), r.outputs().get(output));
                }
            }
        }
        model.close();
    }
}
