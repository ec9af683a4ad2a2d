package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import java.util.List;

/**
 * The {@value #OUTPUT} output: a {@code [N,1,h,w]} map resized bilinearly (half-pixel centres, as PyTorch's
 * {@code interpolate(align_corners=False)}) to the input's height and width and normalised per example to 0..1
 * ({@code (v - min) / (max - min)}, 0 for a constant map). The input is read as {@code [N,C,H,W]}, or as
 * {@code [N,H,W,C]} when its last axis is 1 to 4 and its second is not.
 */
final class Heatmaps {
    static final String OUTPUT = "heatmap";

    private Heatmaps() {
    }

    static void add(ExplainerGraph g, String map, String input) {
        if (g.rank(input) != 4) {
            return;
        }
        TensorShapeProto shape = g.input(input).getType().getTensorType().getShape();
        boolean channelsLast = small(shape.getDim(3)) && !small(shape.getDim(1));
        long start = channelsLast ? 1 : 2;
        String size = g.op("Shape", input, OnnxAttributes.of("start", start), OnnxAttributes.of("end", start + 2));
        String sizes = g.op("Concat", List.of(g.op("Shape", map, OnnxAttributes.of("start", 0L),
                OnnxAttributes.of("end", 2L)), size), OnnxAttributes.of("axis", 0L));
        String resized = g.op("Resize", List.of(map, "", "", sizes), OnnxAttributes.of("mode", "linear"),
                OnnxAttributes.of("coordinate_transformation_mode", "half_pixel"));
        String cells = g.ints(1, 2, 3);
        String min = g.op("ReduceMin", List.of(resized, cells), OnnxAttributes.of("keepdims", 1L));
        String max = g.op("ReduceMax", List.of(resized, cells), OnnxAttributes.of("keepdims", 1L));
        String range = g.op("Sub", max, min);
        String zero = g.floats(new double[] {0});
        String scaled = g.op("Div", g.op("Sub", resized, min), range);
        String heatmap = g.op("Where", List.of(g.op("Greater", range, zero), scaled, zero), g.fresh(OUTPUT));
        long h = dim(shape.getDim((int) start));
        long w = dim(shape.getDim((int) start + 1));
        g.output(heatmap, g.seedType(), -1, 1, h, w);
    }

    private static boolean small(TensorShapeProto.Dimension d) {
        return d.hasDimValue() && d.getDimValue() >= 1 && d.getDimValue() <= 4;
    }

    private static long dim(TensorShapeProto.Dimension d) {
        return d.hasDimValue() ? d.getDimValue() : -2;
    }
}
