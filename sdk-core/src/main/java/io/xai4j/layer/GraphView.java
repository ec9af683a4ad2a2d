package io.xai4j.layer;

import io.xai4j.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only view of a model's graph: its nodes in topological order and its constant tensors. Methods
 * use it to read weights (e.g. the classifier of CAM) and to find structure such as the pooling before
 * the head. Obtained from {@link io.xai4j.spi.Model#graph()}.
 */
public interface GraphView {

    /** Every node, each after the producers of its inputs. */
    List<GraphNode> nodes();

    /** The graph inputs fed at run time (constants excluded). */
    List<String> inputs();

    /** The graph outputs. */
    List<String> outputs();

    /**
     * The value of a constant tensor (an initializer or a constant node's output), as float32; integer
     * constants are converted. Empty for non-constant tensors and for types that cannot be converted.
     */
    Optional<Tensor> constant(String tensor);

    /** The node producing {@code tensor}, or empty for inputs and constants without a node. */
    default Optional<GraphNode> producer(String tensor) {
        return nodes().stream().filter(n -> n.outputs().contains(tensor)).findFirst();
    }

    /** The nodes reading {@code tensor}, in topological order. */
    default List<GraphNode> consumers(String tensor) {
        return nodes().stream().filter(n -> n.inputs().contains(tensor)).toList();
    }

    /** Every tensor {@code tensor} depends on, itself included. */
    default Set<String> ancestors(String tensor) {
        Set<String> seen = new HashSet<>();
        Deque<String> work = new ArrayDeque<>(List.of(tensor));
        while (!work.isEmpty()) {
            String t = work.pop();
            if (seen.add(t)) {
                producer(t).ifPresent(n -> n.inputs().stream().filter(i -> !i.isEmpty()).forEach(work::push));
            }
        }
        return seen;
    }
}
