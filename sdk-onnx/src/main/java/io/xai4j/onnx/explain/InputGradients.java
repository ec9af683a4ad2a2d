package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.grad.OnnxTensors;
import java.util.List;
import java.util.Set;

/**
 * Saliency ({@code |gradient|}, or the signed gradient with {@code abs=false}), input x gradient, and the signed
 * gradient under the method's own rule set (guided backpropagation, deconvnet, LRP): one backward pass over the
 * examples themselves. LRP also outputs {@value #CONSERVATION} per example, as {@code explain} reports it:
 * {@code |sum(attribution) - score| / |score|}, the score being the target's of the differentiated tensor.
 */
final class InputGradients implements ExportedMethod {
    static final String CONSERVATION = "conservation_error";

    private enum Kind { SALIENCY, TIMES_INPUT, OWN_RULES, RELEVANCE }

    private final Kind kind;

    private InputGradients(Kind kind) {
        this.kind = kind;
    }

    static InputGradients saliency() {
        return new InputGradients(Kind.SALIENCY);
    }

    static InputGradients inputTimesGradient() {
        return new InputGradients(Kind.TIMES_INPUT);
    }

    /** The gradient under the method's own rule set, signed. */
    static InputGradients underOwnRules() {
        return new InputGradients(Kind.OWN_RULES);
    }

    /** The relevance under the method's own rule set, whose parameters are all the method's, and its conservation. */
    static InputGradients relevance() {
        return new InputGradients(Kind.RELEVANCE);
    }

    @Override
    public Set<String> parameters() {
        return kind == Kind.SALIENCY ? Set.of("abs") : Set.of();
    }

    @Override
    public boolean takesAllParameters() {
        return kind == Kind.RELEVANCE;
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        String input = e.input();
        GradientModel m = g.gradients();
        TargetSeed seed = TargetSeed.addForExamples(g);
        String gradient = m.gradientOutputs().get(input);
        String attribution = g.fresh(ExplainerGraph.ATTRIBUTION);
        switch (kind) {
            case TIMES_INPUT -> g.op("Mul", List.of(input, gradient), attribution);
            case SALIENCY -> g.op(e.parameters().getBoolean("abs") ? "Abs" : "Identity", List.of(gradient),
                    attribution);
            default -> g.op("Identity", List.of(gradient), attribution);
        }
        g.outputLike(attribution, input);
        if (kind == Kind.RELEVANCE) {
            conservationError(g, attribution, seed, g.rank(input));
        }
    }

    /** Adds the {@value #CONSERVATION} output, {@code |sum(attribution) - score| / |score|} per example. */
    private static void conservationError(ExplainerGraph g, String attribution, TargetSeed seed, int rank) {
        String score = g.op("ReduceSum", List.of(g.op("Mul", g.gradients().seededTensor(), seed.oneHot()),
                g.ints(1)), OnnxAttributes.of("keepdims", 0L));
        String total = g.sumPerExample(attribution, rank);
        String smallest = g.constant(OnnxTensors.ofDoubles("", g.seedType(), new double[] {Float.MIN_NORMAL}));
        String scale = g.op("Max", g.op("Abs", score), smallest);
        String error = g.op("Div", List.of(g.op("Abs", g.op("Sub", total, score)), scale), g.fresh(CONSERVATION));
        g.output(error, g.seedType(), -1);
    }
}
