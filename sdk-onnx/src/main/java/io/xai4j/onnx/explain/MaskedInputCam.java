package io.xai4j.onnx.explain;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import java.util.List;

/**
 * Score-CAM on a {@code [N,C,h,w]} layer {@code A} of an image input {@code [N,c,H,W]}: each channel's map, resized
 * bilinearly (half-pixel centres) to {@code H x W} and scaled to 0..1 by its minimum and maximum (0 when constant),
 * masks the input; the example and its {@code C} masked copies run as {@code C + 1} rows of one forward pass
 * ({@link RowExpansion#forwardOnly}). Channel {@code k}'s weight is the target's probability on masked input
 * {@code k}: the output itself when a Softmax produces it or, per example, when its row on the first masked input
 * lies in [0,1] and sums to 1 within 1e-3; else its softmax. The map is {@code ReLU(sum_k w_k A_k)}. Refused when the
 * rows of one example would hold more than the memory budget.
 */
final class MaskedInputCam extends ForwardLayerCam {
    private static final String METHOD = "score-cam";
    /** Input-sized tensors per channel besides the forward pass: the resized map, the mask and the masked input. */
    private static final int MASK_COPIES = 3;
    private static final double PROBABILITY_SUM_TOLERANCE = 1e-3;

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        String input = e.input();
        GradientModel m = g.gradients();
        if (g.rank(input) != 4) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "score-cam masks an image input [N,C,H,W], but input '"
                    + input + "' has shape " + ExplainerGraph.describe(g.input(input))
                    + "; export grad-cam or eigen-cam for other inputs");
        }
        int channels = e.layerShape().get(1).intValue();
        RowExpansion.checkBudget(String.format("%s masks the input with each of the %d channels of layer '%s', so one"
                + " call", METHOD, channels, e.layer()), channels + 1,
                m.rowBytes() + MASK_COPIES * Float.BYTES * g.exampleElements(input), "choose a layer with fewer"
                + " channels");
        RowExpansion rows = RowExpansion.forwardOnly(g, input, channels + 1);
        String a = m.activationOutputs().get(e.layer());
        String sizes = g.op("Concat", List.of(g.op("Shape", a, OnnxAttributes.of("start", 0L),
                OnnxAttributes.of("end", 2L)), g.op("Shape", input, OnnxAttributes.of("start", 2L),
                OnnxAttributes.of("end", 4L))), OnnxAttributes.of("axis", 0L));
        String resized = g.op("Resize", List.of(a, "", "", sizes), OnnxAttributes.of("mode", "linear"),
                OnnxAttributes.of("coordinate_transformation_mode", "half_pixel"));
        String cells = g.ints(2, 3);
        String min = g.op("ReduceMin", List.of(resized, cells), OnnxAttributes.of("keepdims", 1L));
        String range = g.op("Sub", g.op("ReduceMax", List.of(resized, cells), OnnxAttributes.of("keepdims", 1L)), min);
        String zero = g.floats(new double[] {0});
        String masks = g.op("Where", List.of(g.op("Greater", range, zero),
                g.op("Div", g.op("Sub", resized, min), range), zero));
        String byChannel = g.op("Unsqueeze", g.op("Transpose", masks,
                OnnxAttributes.of("perm", new long[] {1, 0, 2, 3})), g.ints(2));
        String examples = g.op("Unsqueeze", input, g.ints(0));
        rows.feed(g.op("Concat", List.of(examples, g.op("Mul", examples, byChannel)), OnnxAttributes.of("axis", 0L)));
        TargetSeed seed = TargetSeed.add(g, m.differentiatedOutput());

        String scores = rows.scoresByBlock(probabilities(g, e, rows, channels + 1), seed);
        String weights = g.op("Transpose", g.op("Slice", List.of(scores, g.ints(1), g.ints(channels + 1), g.ints(0))),
                OnnxAttributes.of("perm", new long[] {1, 0}));
        String perChannel = g.op("Reshape", weights, g.ints(-1, channels, 1, 1));
        String attribution = g.op("Relu", List.of(GradientCams.channelSum(g, g.op("Mul", a, perChannel))),
                g.fresh(ExplainerGraph.ATTRIBUTION));
        g.output(attribution, g.seedType(), -1, 1, -2, -2);
        Heatmaps.add(g, attribution, input);
    }

    /** The target output on the rows as probabilities {@code [rows, classes]}: itself, or its softmax. */
    private static String probabilities(ExplainerGraph g, Explained e, RowExpansion rows, int blocks) {
        String output = g.gradients().differentiatedOutput();
        String scores = rows.onRows(output);
        boolean bySoftmax = e.graph().producer(output).map(n -> n.opType().equals("Softmax")).orElse(false);
        if (bySoftmax) {
            return scores;
        }
        int classes = g.gradients().seedShape()[1];
        String firstMasked = g.op("Gather", g.op("Reshape", scores, g.ints(blocks, -1, classes)),
                g.longs(new long[] {1}), OnnxAttributes.of("axis", 0L)); // a scalar index: [N, classes]
        String axis = g.ints(1);
        String lowest = g.op("ReduceMin", List.of(firstMasked, axis), OnnxAttributes.of("keepdims", 1L));
        String highest = g.op("ReduceMax", List.of(firstMasked, axis), OnnxAttributes.of("keepdims", 1L));
        String sum = g.op("ReduceSum", List.of(firstMasked, axis), OnnxAttributes.of("keepdims", 1L));
        String inRange = g.op("And", g.op("GreaterOrEqual", lowest, g.floats(new double[] {0})),
                g.op("LessOrEqual", highest, g.floats(new double[] {1})));
        String sumsToOne = g.op("LessOrEqual", g.op("Abs", g.op("Sub", sum, g.floats(new double[] {1}))),
                g.floats(new double[] {PROBABILITY_SUM_TOLERANCE}));
        String perRow = g.op("Tile", List.of(g.op("And", inRange, sumsToOne), g.ints(blocks, 1)));
        return g.op("Where", List.of(perRow, scores, g.op("Softmax", scores, OnnxAttributes.of("axis", -1L))));
    }
}
