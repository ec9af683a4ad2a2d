package io.xai4j.layer;

import io.xai4j.spi.Model;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells channels-last maps {@code [N,H,W,C]} from channels-first ones. ONNX convolutions and pools work on
 * {@code [N,C,H,W]}; exporters from channels-last frameworks (tf2onnx, Keras) wrap them in Transposes, so a
 * 4-D tensor is channels-last when, walking back over ops that keep the layout, a Transpose with permutation
 * {@code [0,2,3,1]} made it.
 */
public final class ChannelsLast {
    /** Permutation from {@code [N,C,H,W]} to {@code [N,H,W,C]}. */
    static final List<Long> TO_CHANNELS_LAST = List.of(0L, 2L, 3L, 1L);
    private static final Set<String> KEEP_LAYOUT = Set.of("Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu",
            "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softplus", "Softsign", "Gelu", "Erf", "Mish",
            "Identity", "Dropout", "Cast", "Neg", "Abs", "Exp", "Sqrt", "Add", "Sub", "Mul", "Div", "Max", "Min",
            "Sum", "Pow", "Concat");
    private static final int MAX_STEPS = 64;

    private static final PerModelCache<String, Boolean> BY_MODEL = new PerModelCache<>();

    private ChannelsLast() {
    }

    /**
     * Whether the 4-D tensor {@code tensor} of {@code model} is channels-last (false when the backend has no graph
     * view); found once per model and tensor.
     */
    public static boolean isIn(Model model, String tensor) {
        return BY_MODEL.get(model, tensor, t -> model.graph().map(g -> is(g, t)).orElse(false));
    }

    /** Whether the 4-D tensor {@code tensor} is channels-last. */
    public static boolean is(GraphView graph, String tensor) {
        String t = tensor;
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<GraphNode> producer = graph.producer(t);
            if (producer.isEmpty()) {
                return false;
            }
            GraphNode node = producer.get();
            if (node.opType().equals("Transpose")) {
                return node.intsAttribute("perm").filter(TO_CHANNELS_LAST::equals).isPresent();
            }
            if (!KEEP_LAYOUT.contains(node.opType())) {
                return false;
            }
            Optional<String> next = node.inputs().stream().filter(i -> computed(graph, i)).findFirst();
            if (next.isEmpty()) {
                return false;
            }
            t = next.get();
        }
        return false;
    }

    /** Whether {@code tensor} is computed at run time: a graph input or the output of a node other than Constant. */
    private static boolean computed(GraphView graph, String tensor) {
        return !tensor.isEmpty() && (graph.inputs().contains(tensor)
                || graph.producer(tensor).filter(n -> !n.opType().equals("Constant")).isPresent());
    }

    /**
     * The channels-first tensor a channels-last Transpose made {@code tensor} from, or empty when {@code tensor}
     * is not the output of such a Transpose.
     */
    public static Optional<String> channelsFirstSource(GraphView graph, String tensor) {
        return graph.producer(tensor)
                .filter(n -> n.opType().equals("Transpose"))
                .filter(n -> n.intsAttribute("perm").filter(TO_CHANNELS_LAST::equals).isPresent())
                .flatMap(n -> n.input(0));
    }
}
