package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.first;
import static io.xai4j.onnx.grad.Emit.op;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Backward rules of ops that move, scatter or accumulate elements: CumSum, GatherND, Scatter*, DepthToSpace... */
final class IndexingRules {
    private IndexingRules() {
    }

    static void register(Map<String, BackwardRule> m) {
        m.put("CumSum", c -> {
            long reverse = OnnxAttributes.getInt(c.node(), "reverse", 0);
            return first(c, c.emit("CumSum", List.of(c.outputGradient(0), c.input(1)), OnnxAttributes.of("exclusive",
                    OnnxAttributes.getInt(c.node(), "exclusive", 0)), OnnxAttributes.of("reverse", 1 - reverse)));
        });
        m.put("GatherND", IndexingRules::gatherNd);
        m.put("ScatterND", c -> scatter(c, "ScatterND", "GatherND"));
        m.put("ScatterElements", c -> scatter(c, "ScatterElements", "GatherElements"));
        m.put("TopK", c -> {
            long axis = OnnxAttributes.getInt(c.node(), "axis", -1);
            return first(c, c.emit("ScatterElements", List.of(c.zerosLike(c.input(0)), c.requireOutput(1),
                    c.outputGradient(0)), OnnxAttributes.of("axis", axis)));
        });
        m.put("Trilu", c -> {
            List<String> inputs = new ArrayList<>(List.of(c.outputGradient(0)));
            if (Emit.present(c, 1)) {
                inputs.add(c.input(1));
            }
            return first(c, c.emit("Trilu", inputs, OnnxAttributes.of("upper",
                    OnnxAttributes.getInt(c.node(), "upper", 1))));
        });
        m.put("SpaceToDepth", c -> first(c, op(c, "DepthToSpace", c.outputGradient(0),
                OnnxAttributes.of("blocksize", OnnxAttributes.getInt(c.node(), "blocksize", 1)),
                OnnxAttributes.of("mode", "DCR"))));
        m.put("DepthToSpace", IndexingRules::depthToSpace);
    }

    /** dX = ScatterND(zeros, indices, dY) with summed duplicates; negative indices are made non-negative first. */
    private static List<String> gatherNd(BackwardContext c) {
        if (OnnxAttributes.getInt(c.node(), "batch_dims", 0) != 0) {
            throw c.unsupported("GatherND with batch_dims other than 0 is not supported");
        }
        String x = c.input(0);
        TensorInfo ii = c.info(c.input(1));
        long depth = ii.dim(ii.rank() - 1);
        if (ii.isDynamic(ii.rank() - 1)) {
            throw c.unsupported("GatherND with a dynamic index depth is not supported");
        }
        String indices = op(c, "Cast", c.input(1), OnnxAttributes.of("to", 7L));
        String dims = c.emit("Slice", List.of(c.shapeOf(x), c.int64s(0), c.int64s(depth)));
        String negative = op(c, "Less", indices, c.int64s(0));
        String normalized = Emit.where(c, negative, Emit.add(c, indices, dims), indices);
        return first(c, c.emit("ScatterND", List.of(c.zerosLike(x), normalized, c.outputGradient(0)),
                OnnxAttributes.of("reduction", "add")));
    }

    /**
     * ScatterND / ScatterElements: the data gradient is dY with the scattered positions zeroed (reduction none) or
     * dY itself (reduction add); the updates gradient gathers dY at the indices.
     */
    private static List<String> scatter(BackwardContext c, String scatter, String gather) {
        String reduction = OnnxAttributes.getString(c.node(), "reduction", "none");
        if (!reduction.equals("none") && !reduction.equals("add")) {
            throw c.unsupported(scatter + " with reduction '" + reduction + "' is not supported; expected none or add");
        }
        boolean elements = scatter.equals("ScatterElements");
        var axis = OnnxAttributes.of("axis", OnnxAttributes.getInt(c.node(), "axis", 0));
        String dy = c.outputGradient(0);
        List<String> g = Emit.none(c);
        if (c.needsGradient(0)) {
            if (reduction.equals("add")) {
                g.set(0, dy);
            } else {
                List<String> in = List.of(dy, c.input(1), c.zerosLike(c.input(2)));
                g.set(0, elements ? c.emit(scatter, in, axis) : c.emit(scatter, in));
            }
        }
        if (c.needsGradient(2)) {
            List<String> in = List.of(dy, c.input(1));
            g.set(2, elements ? c.emit(gather, in, axis) : c.emit(gather, in));
        }
        return g;
    }

    /** DCR mode is inverted by SpaceToDepth; CRD mode by the inverse reshape and transpose. */
    private static List<String> depthToSpace(BackwardContext c) {
        long b = OnnxAttributes.getInt(c.node(), "blocksize", 1);
        String dy = c.outputGradient(0);
        if (OnnxAttributes.getString(c.node(), "mode", "DCR").equals("DCR")) {
            return first(c, op(c, "SpaceToDepth", dy, OnnxAttributes.of("blocksize", b)));
        }
        TensorInfo xi = c.info(c.input(0));
        if (xi.rank() != 4 || xi.isDynamic(1) || xi.isDynamic(2) || xi.isDynamic(3)) {
            throw c.unsupported("DepthToSpace CRD needs a 4-D input with static channels, height and width; got "
                    + xi);
        }
        long channels = xi.dim(1);
        long h = xi.dim(2);
        long w = xi.dim(3);
        String blocks = op(c, "Reshape", dy, c.int64s(0, channels / (b * b), h, b, w, b));
        String moved = Emit.transpose(c, blocks, new long[] {0, 1, 3, 5, 2, 4});
        return first(c, op(c, "Reshape", moved, c.int64s(0, channels, h, w)));
    }
}
