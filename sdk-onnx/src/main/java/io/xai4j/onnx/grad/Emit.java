package io.xai4j.onnx.grad;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Shorthands for the rules: emit common ops through a {@link BackwardContext}. */
final class Emit {
    private Emit() {
    }

    static String op(BackwardContext c, String type, String a, AttributeProto... attrs) {
        return c.emit(type, List.of(a), attrs);
    }

    static String op(BackwardContext c, String type, String a, String b, AttributeProto... attrs) {
        return c.emit(type, List.of(a, b), attrs);
    }

    static String mul(BackwardContext c, String a, String b) {
        return op(c, "Mul", a, b);
    }

    static String div(BackwardContext c, String a, String b) {
        return op(c, "Div", a, b);
    }

    static String add(BackwardContext c, String a, String b) {
        return op(c, "Add", a, b);
    }

    static String sub(BackwardContext c, String a, String b) {
        return op(c, "Sub", a, b);
    }

    static String where(BackwardContext c, String cond, String a, String b) {
        return c.emit("Where", List.of(cond, a, b));
    }

    /**
     * {@code Transpose(g, perm)}, or {@code g} itself for the identity permutation (ONNX Runtime's Gemm-Transpose
     * fusion treats any Transpose after a 2-D Gemm as a swap of both axes).
     */
    static String transpose(BackwardContext c, String g, long[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return op(c, "Transpose", g, OnnxAttributes.of("perm", perm));
            }
        }
        return g;
    }

    static String reshapeLike(BackwardContext c, String g, String like) {
        return op(c, "Reshape", g, c.shapeOf(like));
    }

    /** {@code ReduceSum(g, axes)}; an empty axes list returns {@code g}. */
    static String reduceSum(BackwardContext c, String g, long[] axes, boolean keepDims) {
        if (axes.length == 0) {
            return g;
        }
        return op(c, "ReduceSum", g, c.int64s(axes), OnnxAttributes.of("keepdims", keepDims ? 1L : 0L));
    }

    static String reduceMean(BackwardContext c, String g, long[] axes) {
        return op(c, "ReduceMean", g, c.int64s(axes), OnnxAttributes.of("keepdims", 1L));
    }

    /** A gradient list with {@code g} for input 0 and nothing for the other inputs. */
    static List<String> first(BackwardContext c, String g) {
        return at(c, 0, g);
    }

    static List<String> at(BackwardContext c, int index, String g) {
        List<String> out = new ArrayList<>(Collections.nCopies(Math.max(c.inputCount(), index + 1), (String) null));
        out.set(index, g);
        return out;
    }

    static List<String> none(BackwardContext c) {
        return new ArrayList<>(Collections.nCopies(c.inputCount(), (String) null));
    }

    static long[] range(int from, int to) {
        long[] r = new long[Math.max(0, to - from)];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    static long[] normalizeAxes(long[] axes, int rank) {
        long[] out = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
        }
        Arrays.sort(out);
        return out;
    }

    /** Constant int64 values of input {@code i}, or an UNSUPPORTED_OP error naming {@code what}. */
    static long[] constantLongs(BackwardContext c, int i, String what) {
        return c.constantValue(c.input(i)).map(OnnxTensors::toLongs)
                .orElseThrow(() -> c.unsupported(what + " (input '" + c.input(i) + "') must be a constant"));
    }

    static double[] constantDoubles(BackwardContext c, int i, String what) {
        return c.constantValue(c.input(i)).map(OnnxTensors::toDoubles)
                .orElseThrow(() -> c.unsupported(what + " (input '" + c.input(i) + "') must be a constant"));
    }

    static boolean present(BackwardContext c, int i) {
        return i < c.inputCount() && !c.input(i).isEmpty();
    }
}
