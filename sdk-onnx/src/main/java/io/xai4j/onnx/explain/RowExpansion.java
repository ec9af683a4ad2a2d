package io.xai4j.onnx.explain;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the model on {@code blocks} rows per example, as one batch ordered block-major (row {@code k N + n}) or
 * example-major (row {@code n blocks + k}, so the rows of an example are adjacent): the gradient graph, or a copy of
 * its forward pass, reads the rows instead of the explained input, other model inputs are repeated for every
 * block, and the model's outputs are those of block 0 when it holds the examples themselves.
 */
final class RowExpansion {
    private final ExplainerGraph g;
    private final String input;
    private final int blocks;
    private final boolean exampleMajor;
    private final String rows;
    private final Map<String, String> expanded = new HashMap<>();

    private RowExpansion(ExplainerGraph g, String input, int blocks, boolean exampleMajor) {
        this.g = g;
        this.input = input;
        this.blocks = blocks;
        this.exampleMajor = exampleMajor;
        this.rows = g.fresh(input + "/rows");
    }

    /**
     * Refuses {@code rows} rows per example of {@code rowBytes} each beyond {@link Batcher#DEFAULT_MEMORY_BUDGET}:
     * "exported {@code what} runs N rows per example, about M MiB ..., more than the budget; {@code remedy}".
     */
    static void checkBudget(String what, long rows, long rowBytes, String remedy) {
        long bytes = rows * rowBytes;
        if (bytes > Batcher.DEFAULT_MEMORY_BUDGET) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, String.format("exported %s runs %d rows per example,"
                    + " about %.0f MiB of tensors per example, more than the %d MiB budget; %s", what, rows,
                    bytes / 1048576.0, Batcher.DEFAULT_MEMORY_BUDGET >> 20, remedy));
        }
    }

    /**
     * Redirects the gradient graph to block-major rows whose block 0 holds the examples; call before adding nodes that
     * read the explained input.
     */
    static RowExpansion add(ExplainerGraph g, String input, int blocks) {
        return add(g, input, blocks, false);
    }

    /** Redirects the gradient graph to rows whose block 0 holds the examples; call before adding nodes that read the input. */
    static RowExpansion add(ExplainerGraph g, String input, int blocks, boolean exampleMajor) {
        RowExpansion e = redirect(g, input, blocks, exampleMajor);
        e.outputBlockZero();
        return e;
    }

    /**
     * Redirects the gradient graph to block-major rows that need not hold the examples: the model's outputs then come
     * from another expansion ({@link #forwardOnly}, added after this one).
     */
    static RowExpansion gradientsOnly(ExplainerGraph g, String input, int blocks) {
        return redirect(g, input, blocks, false);
    }

    /**
     * A copy of the model's forward pass alone on block-major rows whose block 0 holds the examples, giving the
     * model's outputs: for rows whose gradients no output needs.
     */
    static RowExpansion forwardOnly(ExplainerGraph g, String input, int blocks) {
        return forwardOnly(g, input, blocks, Map.of());
    }

    /**
     * As {@link #forwardOnly(ExplainerGraph, String, int)}, with the copy reading each tensor of {@code fed}'s keys
     * (a tensor the model computes, e.g. a layer) from the tensor it maps to, block-major rows of that layer.
     */
    static RowExpansion forwardOnly(ExplainerGraph g, String input, int blocks, Map<String, String> fed) {
        RowExpansion e = new RowExpansion(g, input, blocks, false);
        Map<String, String> inputs = new HashMap<>(fed);
        inputs.put(input, e.rows);
        List<ValueInfoProto> others = g.runtimeInputs().stream().filter(v -> !v.getName().equals(input)).toList();
        others.forEach(v -> inputs.put(v.getName(), g.fresh(v.getName() + "/rows")));
        for (ValueInfoProto out : g.modelOutputs()) {
            g.rename(out.getName(), g.fresh(out.getName() + "/unused"));
        }
        Map<String, String> names = g.copyForward(inputs, "forward/");
        others.forEach(v -> e.repeat(v.getName(), g.rank(v.getName()), inputs.get(v.getName())));
        for (ValueInfoProto out : g.modelOutputs()) {
            e.expanded.put(out.getName(), names.get(out.getName()));
        }
        e.expanded.put(g.gradients().seededTensor(), names.get(g.gradients().seededTensor()));
        e.outputBlockZero();
        return e;
    }

    private static RowExpansion redirect(ExplainerGraph g, String input, int blocks, boolean exampleMajor) {
        RowExpansion e = new RowExpansion(g, input, blocks, exampleMajor);
        g.redirectReads(input, e.rows);
        for (ValueInfoProto other : g.runtimeInputs()) {
            if (!other.getName().equals(input)) {
                String tiled = g.fresh(other.getName() + "/rows");
                g.redirectReads(other.getName(), tiled);
                e.repeat(other.getName(), g.rank(other.getName()), tiled);
            }
        }
        for (ValueInfoProto out : g.modelOutputs()) {
            String inner = g.fresh(out.getName() + "/rows");
            g.rename(out.getName(), inner);
            e.expanded.put(out.getName(), inner);
        }
        return e;
    }

    /** Adds the model's outputs, from the rows of block 0. */
    private void outputBlockZero() {
        String examples = g.op("Shape", input, OnnxAttributes.of("start", 0L), OnnxAttributes.of("end", 1L));
        for (ValueInfoProto out : g.modelOutputs()) {
            String inner = expanded.get(out.getName());
            if (exampleMajor) {
                g.op("Slice", List.of(inner, g.ints(0), g.ints(Long.MAX_VALUE), g.ints(0), g.ints(blocks)),
                        out.getName());
            } else {
                g.op("Slice", List.of(inner, g.ints(0), examples, g.ints(0)), out.getName());
            }
            g.output(out);
        }
    }

    /** Writes {@code tensor} ([N, ...] of rank {@code rank}) repeated for every block to {@code out}. */
    private void repeat(String tensor, int rank, String out) {
        long[] repeats = new long[exampleMajor ? rank + 1 : rank];
        Arrays.fill(repeats, 1);
        if (!exampleMajor) {
            repeats[0] = blocks;
            g.op("Tile", List.of(tensor, g.ints(repeats)), out);
            return;
        }
        repeats[1] = blocks;
        String tiled = g.op("Tile", g.op("Unsqueeze", tensor, g.ints(1)), g.ints(repeats));
        String shape = g.op("Concat", List.of(g.ints(-1), g.op("Shape", tensor, OnnxAttributes.of("start", 1L))),
                OnnxAttributes.of("axis", 0L));
        g.op("Reshape", List.of(tiled, shape), out);
    }

    /** Feeds {@code byBlock}, shaped {@code [blocks, N, ...]} like the input with a leading block axis, as the rows. */
    void feed(String byBlock) {
        String rest = g.op("Shape", input, OnnxAttributes.of("start", 1L));
        String ordered = exampleMajor ? g.op("Transpose", byBlock, OnnxAttributes.of("perm", swapFirstTwo())) : byBlock;
        g.op("Reshape", List.of(ordered, g.op("Concat", List.of(g.ints(-1), rest), OnnxAttributes.of("axis", 0L))),
                rows);
    }

    /** Seeds every block with the examples' target seeds. */
    void seed(TargetSeed seed) {
        repeat(seed.oneHot(), 2, g.gradients().seedInput());
    }

    /** {@code tensor}, computed on the rows, shaped {@code [blocks, N, ...]} (a rank-{@code rank} input-like tensor). */
    String byBlock(String tensor) {
        String inner = expanded.getOrDefault(tensor, tensor);
        if (!exampleMajor) {
            String shape = g.op("Concat", List.of(g.ints(blocks), g.op("Shape", input)), OnnxAttributes.of("axis", 0L));
            return g.op("Reshape", inner, shape);
        }
        String shape = g.op("Concat", List.of(g.op("Shape", input, OnnxAttributes.of("start", 0L),
                OnnxAttributes.of("end", 1L)), g.ints(blocks), g.op("Shape", input, OnnxAttributes.of("start", 1L))),
                OnnxAttributes.of("axis", 0L));
        return g.op("Transpose", g.op("Reshape", inner, shape), OnnxAttributes.of("perm", swapFirstTwo()));
    }

    /** The rows of block {@code k} of {@code tensor} (computed on the rows), shaped {@code [N, ...]}. */
    String block(String tensor, int k) {
        if (exampleMajor) {
            return g.op("Slice", List.of(expanded.getOrDefault(tensor, tensor), g.ints(k), g.ints(Long.MAX_VALUE),
                    g.ints(0), g.ints(blocks)));
        }
        return g.op("Gather", byBlock(tensor), g.longs(new long[] {k}), OnnxAttributes.of("axis", 0L));
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

    /** The scores of {@code tensor} ([rows, C], computed on the rows) for the examples' targets, as {@code [blocks, N]}. */
    String scoresByBlock(String tensor, TargetSeed seed) {
        String seeds = g.fresh("explain/seeds");
        repeat(seed.oneHot(), 2, seeds);
        String scores = g.op("ReduceSum", List.of(g.op("Mul", onRows(tensor), seeds), g.ints(1)),
                OnnxAttributes.of("keepdims", 0L));
        String byRow = g.op("Reshape", scores, g.ints(exampleMajor ? new long[] {-1, blocks} : new long[] {blocks, -1}));
        return exampleMajor ? g.op("Transpose", byRow, OnnxAttributes.of("perm", new long[] {1, 0})) : byRow;
    }

    private long[] swapFirstTwo() {
        long[] perm = new long[g.rank(input) + 1];
        Arrays.setAll(perm, i -> i);
        perm[0] = 1;
        perm[1] = 0;
        return perm;
    }
}
