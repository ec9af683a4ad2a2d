package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the gradient graph on {@code blocks} rows per example, as one batch ordered block-major (row
 * {@code k N + n}): the model reads the rows instead of the explained input, other model inputs are repeated for
 * every block, and the model's outputs are those of block 0, which must hold the examples themselves.
 */
final class RowExpansion {
    private final ExplainerGraph g;
    private final String input;
    private final int blocks;
    private final String rows;
    private final Map<String, String> expanded = new HashMap<>();

    private RowExpansion(ExplainerGraph g, String input, int blocks) {
        this.g = g;
        this.input = input;
        this.blocks = blocks;
        this.rows = g.fresh(input + "/rows");
    }

    /** Redirects the model to the rows; call before adding nodes that read the explained input. */
    static RowExpansion add(ExplainerGraph g, String input, int blocks) {
        RowExpansion e = new RowExpansion(g, input, blocks);
        g.redirectReads(input, e.rows);
        for (ValueInfoProto other : g.runtimeInputs()) {
            if (!other.getName().equals(input)) {
                String tiled = g.fresh(other.getName() + "/rows");
                g.redirectReads(other.getName(), tiled);
                long[] repeats = new long[g.rank(other.getName())];
                Arrays.fill(repeats, 1);
                repeats[0] = blocks;
                g.op("Tile", List.of(other.getName(), g.ints(repeats)), tiled);
            }
        }
        String examples = g.op("Shape", input, OnnxAttributes.of("start", 0L), OnnxAttributes.of("end", 1L));
        for (ValueInfoProto out : g.modelOutputs()) {
            String inner = g.fresh(out.getName() + "/rows");
            g.rename(out.getName(), inner);
            e.expanded.put(out.getName(), inner);
            g.op("Slice", List.of(inner, g.ints(0), examples, g.ints(0)), out.getName());
            g.output(out);
        }
        return e;
    }

    /** Feeds {@code byBlock}, shaped {@code [blocks, N, ...]} like the input with a leading block axis, as the rows. */
    void feed(String byBlock) {
        String rest = g.op("Shape", input, OnnxAttributes.of("start", 1L));
        g.op("Reshape", List.of(byBlock, g.op("Concat", List.of(g.ints(-1), rest), OnnxAttributes.of("axis", 0L))),
                rows);
    }

    /** Seeds every block with the examples' target seeds. */
    void seed(TargetSeed seed) {
        g.op("Tile", List.of(seed.oneHot(), g.ints(blocks, 1)), g.gradients().seedInput());
    }

    /** {@code tensor}, computed on the rows, shaped {@code [blocks, N, ...]} (a rank-{@code rank} input-like tensor). */
    String byBlock(String tensor) {
        String shape = g.op("Concat", List.of(g.ints(blocks), g.op("Shape", input)), OnnxAttributes.of("axis", 0L));
        return g.op("Reshape", expanded.getOrDefault(tensor, tensor), shape);
    }

    /** The name of a tensor computed on the rows (a model output's inner name). */
    String onRows(String tensor) {
        return expanded.getOrDefault(tensor, tensor);
    }

    /** A constant shaped {@code [blocks, 1, ..., 1]} (the input's rank plus one) with one value per block. */
    String perBlock(double[] values) {
        long[] dims = new long[g.rank(input) + 1];
        Arrays.fill(dims, 1);
        dims[0] = blocks;
        return g.floats(values, dims);
    }
}
