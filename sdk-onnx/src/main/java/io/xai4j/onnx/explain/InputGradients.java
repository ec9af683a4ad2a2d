package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Saliency ({@code |gradient|}, or the signed gradient with {@code abs=false}), input x gradient, and the signed
 * gradient under a method's own rule set (guided backpropagation, deconvnet): one backward pass over the examples
 * themselves.
 */
final class InputGradients implements ExportedMethod {
    private final boolean timesInput;
    private final String ruleSet;

    private InputGradients(boolean timesInput, String ruleSet) {
        this.timesInput = timesInput;
        this.ruleSet = ruleSet;
    }

    static InputGradients saliency() {
        return new InputGradients(false, null);
    }

    static InputGradients inputTimesGradient() {
        return new InputGradients(true, null);
    }

    /** The gradient under the rule set {@code ruleSet}, signed. */
    static InputGradients underRules(String ruleSet) {
        return new InputGradients(false, ruleSet);
    }

    @Override
    public Set<String> parameters() {
        return timesInput || ruleSet != null ? Set.of() : Set.of("abs");
    }

    @Override
    public String ruleSet() {
        return ruleSet;
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
            boolean abs = ruleSet == null && parameters.getBoolean("abs");
            g.op(abs ? "Abs" : "Identity", List.of(gradient), attribution);
        }
        g.outputLike(attribution, input);
    }
}
