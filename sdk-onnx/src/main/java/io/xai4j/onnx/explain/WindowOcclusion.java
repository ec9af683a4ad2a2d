package io.xai4j.onnx.explain;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.Regions;
import io.xai4j.family.perturbation.WindowGrid;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Occlusion with the window grid fixed at export time ({@link WindowGrid}): each example and its {@code K} occluded
 * copies {@code x (1 - m_k) + b m_k} run as {@code K + 1} rows of one forward pass ({@link RowExpansion#forwardOnly});
 * the masks {@code m_k} are built in the graph as products of one indicator per axis. Each element gets the mean,
 * over the windows covering it, of the target score's drop {@code f(x) - f(x_k)}, {@code f} the model output itself.
 * Refused when the rows of one example would hold more than {@link Batcher#DEFAULT_MEMORY_BUDGET} bytes of forward
 * tensors.
 */
final class WindowOcclusion implements ExportedMethod {
    private static final String METHOD = "occlusion";
    /** Example-sized tensors per window besides the forward pass: the mask, 1 - mask, and the two products. */
    private static final int OCCLUSION_COPIES = 4;

    @Override
    public Set<String> parameters() {
        return Set.of(WindowGrid.WINDOW, WindowGrid.STRIDE, WindowGrid.BORDER, "baseline");
    }

    @Override
    public boolean needsGradients() {
        return false;
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        String input = e.input();
        GradientModel m = g.gradients();
        int[] shape = exampleShape(g, input);
        WindowGrid grid = WindowGrid.of(e.parameters(), shape, message -> new XaiException(
                ErrorCode.INVALID_PARAMETER, "method '" + METHOD + "': " + message));
        int windows = grid.count();
        long elements = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
        RowExpansion.checkBudget(String.format("occlusion with window %s and stride %s has %d windows, so one call",
                Arrays.toString(grid.window()), Arrays.toString(grid.stride()), windows), windows + 1,
                m.rowBytes() + OCCLUSION_COPIES * Float.BYTES * elements, "choose a larger window or stride");

        RowExpansion rows = RowExpansion.forwardOnly(g, input, windows + 1);
        String baseline = FixedBaseline.add(g, e.parameters().getBaseline("baseline"), input, METHOD);
        String masks = masks(g, grid);
        String zero = g.ints(0);
        String one = g.floats(new double[] {1});
        String perWindow = g.op("Unsqueeze", masks, g.ints(1));
        String examples = g.op("Unsqueeze", input, zero);
        String occluded = g.op("Add", g.op("Mul", examples, g.op("Sub", one, perWindow)),
                g.op("Mul", baseline, perWindow));
        rows.feed(g.op("Concat", List.of(examples, occluded), OnnxAttributes.of("axis", 0L)));
        TargetSeed seed = TargetSeed.add(g, m.differentiatedOutput());

        String scores = rows.scoresByBlock(m.differentiatedOutput(), seed);
        String original = g.op("Gather", scores, g.longs(new long[] {0}), OnnxAttributes.of("axis", 0L));
        String drops = g.op("Sub", original, g.op("Slice", List.of(scores, g.ints(1), g.ints(windows + 1), zero)));
        String flat = g.op("Reshape", masks, g.ints(windows, -1));
        String sums = g.op("MatMul", g.op("Transpose", drops, OnnxAttributes.of("perm", new long[] {1, 0})), flat);
        String covering = g.op("ReduceSum", List.of(flat, zero), OnnxAttributes.of("keepdims", 0L));
        String attribution = g.op("Reshape", List.of(g.op("Div", sums, covering), g.op("Shape", input)),
                g.fresh(ExplainerGraph.ATTRIBUTION));
        g.outputLike(attribution, input);
    }

    /**
     * The masks {@code [K, d_1, ..., d_r]}, 1 inside window {@code k}: the product of one indicator per axis
     * {@code [n_a, d_a]} (window starts by elements, cut at the end of the axis), broadcast to
     * {@code [n_1, ..., n_r, d_1, ..., d_r]}, the last axis's windows varying fastest as in {@link Regions#start}.
     */
    private static String masks(ExplainerGraph g, WindowGrid grid) {
        int[] shape = grid.shape();
        int rank = shape.length;
        String product = null;
        for (int axis = 0; axis < rank; axis++) {
            int[] starts = grid.starts()[axis];
            double[] indicator = new double[starts.length * shape[axis]];
            for (int j = 0; j < starts.length; j++) {
                int end = Math.min(starts[j] + grid.window()[axis], shape[axis]);
                Arrays.fill(indicator, j * shape[axis] + starts[j], j * shape[axis] + end, 1);
            }
            long[] dims = new long[2 * rank];
            Arrays.fill(dims, 1);
            dims[axis] = starts.length;
            dims[rank + axis] = shape[axis];
            String factor = g.floats(indicator, dims);
            product = product == null ? factor : g.op("Mul", product, factor);
        }
        long[] flat = new long[rank + 1];
        flat[0] = grid.count();
        for (int axis = 0; axis < rank; axis++) {
            flat[axis + 1] = shape[axis];
        }
        return g.op("Reshape", product, g.ints(flat));
    }

    /** One example's shape, every axis of the input but the batch, which must be fixed. */
    private static int[] exampleShape(ExplainerGraph g, String input) {
        TensorShapeProto declared = g.input(input).getType().getTensorType().getShape();
        List<Integer> dims = new ArrayList<>();
        for (int i = 1; i < declared.getDimCount(); i++) {
            TensorShapeProto.Dimension d = declared.getDim(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                throw new XaiException(ErrorCode.INVALID_MODEL, "exported occlusion fixes its windows at export time"
                        + " and needs every axis of input '" + input + "' but the batch fixed; it has shape "
                        + ExplainerGraph.describe(g.input(input)));
            }
            dims.add((int) d.getDimValue());
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

}
