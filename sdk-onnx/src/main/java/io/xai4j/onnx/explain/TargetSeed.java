package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.grad.OnnxTensors;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.List;

/**
 * The {@value #INPUT} input of an explainer model and the seed it gives: one class index per example, where a
 * negative index means the predicted class (the arg max of the differentiated output). The seed is the one-hot
 * row of the class; an index of the number of classes or more gives a zero seed, so zero attributions.
 */
final class TargetSeed {
    static final String INPUT = "target";
    static final String CLASS_OUTPUT = "target_class";

    private final String classes;
    private final String oneHot;

    private TargetSeed(String classes, String oneHot) {
        this.classes = classes;
        this.oneHot = oneHot;
    }

    /**
     * Adds the target input and the nodes that turn it into seeds for the rows of {@code scores} ([N, C], the
     * model output whose arg max is the predicted class), and the {@value #CLASS_OUTPUT} output.
     */
    static TargetSeed add(ExplainerGraph g, String scores) {
        int type = g.seedType();
        String target = g.fresh(INPUT);
        g.addInput(g.valueInfo(target, TensorProto.DataType.INT64_VALUE, -1));
        g.targetInput(target);
        String predicted = g.op("ArgMax", scores, OnnxAttributes.of("axis", 1L), OnnxAttributes.of("keepdims", 0L));
        String negative = g.op("Less", target, g.longs(new long[] {0}));
        String classes = g.op("Where", List.of(negative, predicted, target), g.fresh(CLASS_OUTPUT));
        g.output(classes, TensorProto.DataType.INT64_VALUE, -1);
        int count = g.gradients().seedShape()[1];
        String oneHot = g.op("OneHot", List.of(classes, g.longs(new long[] {count}),
                        g.constant(OnnxTensors.ofDoubles("", type, new double[] {0, 1}, 2))),
                OnnxAttributes.of("axis", -1L));
        return new TargetSeed(classes, oneHot);
    }

    /**
     * For methods that run the gradient graph on the examples themselves: adds the model outputs and seeds each
     * example with its target.
     */
    static TargetSeed addForExamples(ExplainerGraph g) {
        g.modelOutputs().forEach(g::output);
        TargetSeed seed = add(g, g.gradients().differentiatedOutput());
        g.op("Identity", List.of(seed.oneHot()), g.gradients().seedInput());
        return seed;
    }

    /** The explained class per example, [N] int64. */
    String classes() {
        return classes;
    }

    /** The one-hot seed per example, [N, C]. */
    String oneHot() {
        return oneHot;
    }
}
