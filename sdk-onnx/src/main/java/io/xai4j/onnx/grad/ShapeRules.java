package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.first;
import static io.xai4j.onnx.grad.Emit.op;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Backward rules of ops that move, select or replicate elements. */
final class ShapeRules {
    private ShapeRules() {
    }

    static void register(Map<String, BackwardRule> m) {
        for (String op : List.of("Flatten", "Reshape", "Squeeze", "Unsqueeze")) {
            m.put(op, c -> first(c, Emit.reshapeLike(c, c.outputGradient(0), c.input(0))));
        }
        m.put("Transpose", c -> {
            int rank = c.info(c.input(0)).rank();
            long[] perm = OnnxAttributes.getInts(c.node(), "perm", null);
            if (perm == null) {
                perm = new long[rank];
                for (int i = 0; i < rank; i++) {
                    perm[i] = rank - 1 - i;
                }
            }
            long[] inverse = new long[rank];
            for (int i = 0; i < rank; i++) {
                inverse[(int) perm[i]] = i;
            }
            return first(c, Emit.transpose(c, c.outputGradient(0), inverse));
        });
        m.put("Concat", ShapeRules::concat);
        m.put("Split", ShapeRules::split);
        m.put("Slice", ShapeRules::slice);
        m.put("Gather", ShapeRules::gather);
        m.put("GatherElements", c -> {
            String x = c.input(0);
            String indices = normalizedIndices(c, c.input(1), c.info(x).dim((int) axis(c, c.info(x).rank())));
            return first(c, c.emit("ScatterElements", List.of(c.zerosLike(x), indices, c.outputGradient(0)),
                    OnnxAttributes.of("axis", axis(c, c.info(x).rank())), OnnxAttributes.of("reduction", "add")));
        });
        m.put("Pad", ShapeRules::pad);
        m.put("Expand", c -> first(c, c.reduceToShape(c.outputGradient(0), c.info(c.output(0)), c.input(0))));
        m.put("Tile", ShapeRules::tile);
    }

    private static long axis(BackwardContext c, int rank) {
        long a = OnnxAttributes.getInt(c.node(), "axis", 0);
        return a < 0 ? a + rank : a;
    }

    private static List<String> concat(BackwardContext c) {
        TensorInfo y = c.info(c.output(0));
        long axis = axis(c, y.rank());
        int n = c.inputCount();
        String sizes;
        if (y.isDynamic((int) axis)) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                parts.add(c.emit("Gather", List.of(c.shapeOf(c.input(i)), c.int64s(axis)), OnnxAttributes.of("axis", 0L)));
            }
            sizes = c.emit("Concat", parts, OnnxAttributes.of("axis", 0L));
        } else {
            long[] s = new long[n];
            for (int i = 0; i < n; i++) {
                s[i] = c.info(c.input(i)).dim((int) axis);
            }
            sizes = c.int64s(s);
        }
        List<String> parts = c.emit("Split", List.of(c.outputGradient(0), sizes), n, OnnxAttributes.of("axis", axis));
        List<String> g = Emit.none(c);
        for (int i = 0; i < n; i++) {
            if (c.needsGradient(i)) {
                g.set(i, parts.get(i));
            }
        }
        return g;
    }

    private static List<String> split(BackwardContext c) {
        TensorInfo x = c.info(c.input(0));
        long axis = axis(c, x.rank());
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < c.node().getOutputCount(); i++) {
            String g = c.outputGradient(i);
            parts.add(g != null ? g : c.zerosLike(c.output(i)));
        }
        return first(c, c.emit("Concat", parts, OnnxAttributes.of("axis", axis)));
    }

    private static List<String> slice(BackwardContext c) {
        TensorInfo x = c.info(c.input(0));
        int rank = x.rank();
        long[] starts = Emit.constantLongs(c, 1, "Slice starts");
        long[] ends = Emit.constantLongs(c, 2, "Slice ends");
        long[] axes = Emit.present(c, 3) ? Emit.constantLongs(c, 3, "Slice axes") : Emit.range(0, starts.length);
        long[] steps = Emit.present(c, 4) ? Emit.constantLongs(c, 4, "Slice steps") : ConvGeometry.ones(starts.length);
        String g = c.outputGradient(0);
        List<Long> padAxes = new ArrayList<>();
        List<Long> padBegin = new ArrayList<>();
        List<Long> padEnd = new ArrayList<>();
        int[] current = c.info(c.output(0)).shape();
        for (int i = 0; i < starts.length; i++) {
            int a = (int) (axes[i] < 0 ? axes[i] + rank : axes[i]);
            long dim = x.dim(a);
            long[] selected = selectedIndices(starts[i], ends[i], steps[i], dim);
            if (selected.length == dim && steps[i] == 1) {
                continue;
            }
            if (x.isDynamic(a)) {
                throw c.unsupported("slicing along the batch axis is not supported");
            }
            if (steps[i] == 1) {
                padAxes.add((long) a);
                padBegin.add(selected.length == 0 ? 0 : selected[0]);
                padEnd.add(dim - (selected.length == 0 ? 0 : selected[0]) - selected.length);
                continue;
            }
            g = scatterAlong(c, g, current, x, a, selected);
            current[a] = (int) dim;
        }
        if (!padAxes.isEmpty()) {
            long[] pads = new long[2 * padAxes.size()];
            for (int i = 0; i < padAxes.size(); i++) {
                pads[i] = padBegin.get(i);
                pads[padAxes.size() + i] = padEnd.get(i);
            }
            g = c.emit("Pad", List.of(g, c.int64s(pads), "", c.int64s(padAxes.stream().mapToLong(Long::longValue).toArray())));
        }
        return first(c, g);
    }

    /** Indices picked by one Slice axis, following the ONNX clamping rules. */
    static long[] selectedIndices(long start, long end, long step, long dim) {
        start = start < 0 ? start + dim : start;
        end = end < 0 ? end + dim : end;
        if (step > 0) {
            start = Math.max(0, Math.min(start, dim));
            end = Math.max(0, Math.min(end, dim));
        } else {
            start = Math.max(0, Math.min(start, dim - 1));
            end = Math.max(-1, Math.min(end, dim - 1));
        }
        List<Long> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < end : i > end; i += step) {
            out.add(i);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Places the slices of {@code g} along {@code axis} at {@code selected} positions of a zero tensor. */
    private static String scatterAlong(BackwardContext c, String g, int[] gShape, TensorInfo x, int axis, long[] selected) {
        long[] idxShape = new long[gShape.length];
        java.util.Arrays.fill(idxShape, 1);
        idxShape[axis] = selected.length;
        String idx = op(c, "Reshape", c.int64s(selected), c.int64s(idxShape));
        String expanded = op(c, "Expand", idx, op(c, "Shape", g));
        String targetShape = c.emit("ScatterElements", List.of(op(c, "Shape", g), c.int64s(axis), c.int64s(x.dim(axis))),
                OnnxAttributes.of("axis", 0L));
        TensorInfo xi = x;
        String zeros = c.emit("ConstantOfShape", List.of(targetShape), OnnxAttributes.of("value",
                OnnxTensors.ofDoubles("value", xi.elemType(), new double[] {0}, 1)));
        return c.emit("ScatterElements", List.of(zeros, expanded, g), OnnxAttributes.of("axis", (long) axis));
    }

    private static String normalizedIndices(BackwardContext c, String indices, long dim) {
        String i64 = op(c, "Cast", indices, OnnxAttributes.of("to", 7L));
        String negative = op(c, "Less", i64, c.initializer(OnnxTensors.ofLongs("", new long[] {0})));
        return Emit.where(c, negative, Emit.add(c, i64, c.initializer(OnnxTensors.ofLongs("", new long[] {dim}))), i64);
    }

    private static List<String> gather(BackwardContext c) {
        String x = c.input(0);
        TensorInfo xi = c.info(x);
        TensorInfo ii = c.info(c.input(1));
        int rank = xi.rank();
        int a = (int) axis(c, rank);
        if (xi.isDynamic(a)) {
            throw c.unsupported("gathering along the batch axis is not supported");
        }
        int q = ii.rank();
        String indices = op(c, "Unsqueeze", normalizedIndices(c, c.input(1), xi.dim(a)), c.int64s(-1));
        // dY axes: [0, a) pre, [a, a+q) index, [a+q, rank+q-1) post. Bring the index axes first.
        long[] perm = new long[rank + q - 1];
        int p = 0;
        for (int i = a; i < a + q; i++) {
            perm[p++] = i;
        }
        for (int i = 0; i < a; i++) {
            perm[p++] = i;
        }
        for (int i = a + q; i < rank + q - 1; i++) {
            perm[p++] = i;
        }
        String updates = Emit.transpose(c, c.outputGradient(0), perm);
        long[] dataPerm = new long[rank];
        p = 0;
        dataPerm[p++] = a;
        for (int i = 0; i < rank; i++) {
            if (i != a) {
                dataPerm[p++] = i;
            }
        }
        String movedShape = c.emit("Gather", List.of(c.shapeOf(x), c.int64s(dataPerm)), OnnxAttributes.of("axis", 0L));
        String zeros = c.emit("ConstantOfShape", List.of(movedShape), OnnxAttributes.of("value",
                OnnxTensors.ofDoubles("value", xi.elemType(), new double[] {0}, 1)));
        String scattered = c.emit("ScatterND", List.of(zeros, indices, updates), OnnxAttributes.of("reduction", "add"));
        long[] back = new long[rank];
        for (int i = 0; i < rank; i++) {
            back[(int) dataPerm[i]] = i;
        }
        return first(c, Emit.transpose(c, scattered, back));
    }

    private static List<String> pad(BackwardContext c) {
        String mode = OnnxAttributes.getString(c.node(), "mode", "constant");
        if (!mode.equals("constant")) {
            throw c.unsupported("Pad mode '" + mode + "' is not supported, only 'constant'");
        }
        long[] pads = Emit.constantLongs(c, 1, "Pad pads");
        long[] negated = new long[pads.length];
        for (int i = 0; i < pads.length; i++) {
            negated[i] = -pads[i];
        }
        List<String> inputs = new ArrayList<>(List.of(c.outputGradient(0), c.int64s(negated)));
        if (Emit.present(c, 3)) {
            inputs.add("");
            inputs.add(c.int64s(Emit.constantLongs(c, 3, "Pad axes")));
        }
        return first(c, c.emit("Pad", inputs));
    }

    private static List<String> tile(BackwardContext c) {
        TensorInfo x = c.info(c.input(0));
        long[] repeats = Emit.constantLongs(c, 1, "Tile repeats");
        long[] shape = new long[2 * x.rank()];
        long[] axes = new long[x.rank()];
        for (int i = 0; i < x.rank(); i++) {
            shape[2 * i] = repeats[i];
            shape[2 * i + 1] = x.isDynamic(i) ? -1 : x.dim(i);
            axes[i] = 2L * i;
        }
        String split = op(c, "Reshape", c.outputGradient(0), c.int64s(shape));
        return first(c, Emit.reduceSum(c, split, axes, false));
    }
}
