package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Saliency ({@code |gradient|}, or the signed gradient with {@code abs=false}) and input x gradient: one
 * backward pass over the examples themselves.
 */
final class InputGradients implements ExportedMethod {
    private final boolean timesInput;

    private InputGradients(boolean timesInput) {
        this.timesInput = timesInput;
    }

    static InputGradients saliency() {
        return new InputGradients(false);
    }

    static InputGradients inputTimesGradient() {
        return new InputGradients(true);
    }

    @Override
    public Set<String> parameters() {
        return timesInput ? Set.of() : Set.of("abs");
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        Parameters parameters = e.parameters();
        String input = e.input();
        GradientModel m = g.gradients();
        TargetSeed.addForExamples(g);
        String gradient = m.gradientOutputs().get(input);
        String attribution = g.fresh(ExplainerGraph.ATTRIBUTION);
        if (timesInput) {
            g.op("Mul", List.of(input, gradient), attribution);
        } else {
            g.op(parameters.getBoolean("abs") ? "Abs" : "Identity", List.of(gradient), attribution);
        }
        g.outputLike(attribution, input);
    }
}
