package io.xai4j.onnx.explain;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ablation-CAM on a {@code [N,C,h,w]} layer {@code A}: the layer and its {@code C} copies with one channel set to
 * zero run through the part of the model after the layer as {@code C + 1} rows of one batch
 * ({@link RowExpansion#forwardOnly} reading the layer from the rows); with the target's raw score {@code s} and
 * {@code s_k} with channel {@code k} ablated, {@code w_k = (s - s_k) / s} ({@code s - s_k} when {@code s} is 0) and
 * the map is {@code ReLU(sum_k w_k A_k)}. Refused when the rows of one example would hold more than the memory budget,
 * and, as by {@code explain}, when the target output needs a model input besides the layer (a skip connection).
 */
final class AblatedChannelCam extends ForwardLayerCam {
    private static final String METHOD = "ablation-cam";
    /** Layer-sized tensors per channel besides the rows' forward pass: the ablated copy and its rows. */
    private static final int ABLATED_COPIES = 2;

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        String input = e.input();
        GradientModel m = g.gradients();
        List<Long> shape = e.layerShape();
        int channels = shape.get(1).intValue();
        RowExpansion.checkBudget(String.format("%s zeroes each of the %d channels of layer '%s' in turn, so one call",
                METHOD, channels, e.layer()), channels + 1, tailBytes(g, e) + ABLATED_COPIES * bytes(shape),
                "choose a layer with fewer channels");
        String a = m.activationOutputs().get(e.layer());
        String layerRows = g.fresh(e.layer() + "/rows");
        RowExpansion rows = RowExpansion.forwardOnly(g, input, channels + 1, Map.of(e.layer(), layerRows));
        rows.feed(g.op("Expand", g.op("Unsqueeze", input, g.ints(0)), g.op("Concat", List.of(g.ints(channels + 1),
                g.op("Shape", input)), OnnxAttributes.of("axis", 0L))));
        // block 0 keeps every channel, block k zeroes channel k - 1
        String square = g.op("ConstantOfShape", g.ints(channels, channels));
        String dropped = g.op("Concat", List.of(g.op("ConstantOfShape", g.ints(1, channels)), g.op("EyeLike", square)),
                OnnxAttributes.of("axis", 0L));
        String keep = g.op("Reshape", g.op("Sub", g.floats(new double[] {1}), dropped),
                g.ints(channels + 1, 1, channels, 1, 1));
        String ablated = g.op("Mul", g.op("Unsqueeze", a, g.ints(0)), keep);
        g.op("Reshape", List.of(ablated, g.op("Concat", List.of(g.ints(-1), g.op("Shape", a,
                OnnxAttributes.of("start", 1L))), OnnxAttributes.of("axis", 0L))), layerRows);
        TargetSeed seed = TargetSeed.add(g, m.differentiatedOutput());

        String scores = rows.scoresByBlock(m.differentiatedOutput(), seed);
        String score = g.op("Gather", scores, g.longs(new long[] {0}), OnnxAttributes.of("axis", 0L));
        String drops = g.op("Sub", score, g.op("Slice", List.of(scores, g.ints(1), g.ints(channels + 1), g.ints(0))));
        String zero = g.floats(new double[] {0});
        String weights = g.op("Where", List.of(g.op("Equal", score, zero), drops, g.op("Div", drops, score)));
        String perChannel = g.op("Reshape", g.op("Transpose", weights, OnnxAttributes.of("perm", new long[] {1, 0})),
                g.ints(-1, channels, 1, 1));
        String attribution = g.op("Relu", List.of(GradientCams.channelSum(g, g.op("Mul", a, perChannel))),
                g.fresh(ExplainerGraph.ATTRIBUTION));
        g.output(attribution, g.seedType(), -1, 1, -2, -2);
        Heatmaps.add(g, attribution, input);
    }

    /**
     * The bytes per row of the tensors the rows compute: those the model's outputs need when the layer is given.
     *
     * @throws XaiException {@link ErrorCode#UNSUPPORTED_OP} when the target output needs a model input besides the
     *                      layer (a skip connection around it), which {@code explain} refuses too
     */
    private static long tailBytes(ExplainerGraph g, Explained e) {
        String output = g.gradients().differentiatedOutput();
        Set<String> inputs = new TreeSet<>();
        g.runtimeInputs().forEach(v -> inputs.add(v.getName()));
        inputs.retainAll(needs(e, List.of(output)));
        if (!inputs.isEmpty()) {
            throw new XaiException(ErrorCode.UNSUPPORTED_OP, "the part of the model after layer '" + e.layer()
                    + "' still needs model input" + (inputs.size() > 1 ? "s " : " ") + inputs + " for output '"
                    + output + "', so exported " + METHOD + " cannot run it from the layer alone; choose a later"
                    + " layer");
        }
        List<String> outputs = new ArrayList<>(List.of(output));
        g.modelOutputs().forEach(o -> outputs.add(o.getName()));
        return needs(e, outputs).stream().filter(e.shapes()::containsKey).mapToLong(t -> bytes(e.shapes().get(t)))
                .sum() + Float.BYTES * g.exampleElements(e.input());
    }

    /** The tensors {@code outputs} need when the layer is given (the layer excluded). */
    private static Set<String> needs(Explained e, List<String> outputs) {
        Set<String> seen = new HashSet<>();
        Deque<String> work = new ArrayDeque<>(outputs);
        while (!work.isEmpty()) {
            String t = work.pop();
            if (!t.equals(e.layer()) && seen.add(t)) {
                e.graph().producer(t).ifPresent(n -> n.inputs().stream().filter(i -> !i.isEmpty()).forEach(work::push));
            }
        }
        return seen;
    }

    /** The bytes of a float tensor of one example's {@code shape} (batch first, unknown dimensions as 1). */
    private static long bytes(List<Long> shape) {
        return Float.BYTES * shape.stream().skip(1).mapToLong(d -> Math.max(d, 1)).reduce(1, (x, y) -> x * y);
    }
}
