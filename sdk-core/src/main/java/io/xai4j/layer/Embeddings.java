package io.xai4j.layer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the embedding lookup of a token-id input: the first Gather (in graph order) that takes its indices from
 * the input, possibly through Cast, Reshape, Squeeze, Unsqueeze, Flatten or Identity, and its rows from a table
 * that depends on no graph input (the weights). Gradient methods attribute token models there, as Captum's
 * layer methods do with the word-embedding module.
 */
public final class Embeddings {
    private static final Set<String> INDEX_PASS_THROUGH = Set.of("Cast", "Reshape", "Squeeze", "Unsqueeze",
            "Flatten", "Identity");

    private Embeddings() {
    }

    /** The output of the embedding lookup that reads {@code input}, or empty when there is none. */
    public static Optional<String> lookupOf(GraphView graph, String input) {
        Set<String> indices = new HashSet<>();
        Deque<String> work = new ArrayDeque<>(List.of(input));
        while (!work.isEmpty()) {
            String t = work.pop();
            if (!indices.add(t)) {
                continue;
            }
            for (GraphNode n : graph.consumers(t)) {
                if (INDEX_PASS_THROUGH.contains(n.opType()) && n.input(0).filter(t::equals).isPresent()) {
                    work.push(n.outputs().get(0));
                }
            }
        }
        for (GraphNode n : graph.nodes()) {
            if (n.input(1).filter(indices::contains).isPresent() && readsWeightTable(graph, n)) {
                return Optional.of(n.outputs().get(0));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code tensor} is the output of a Gather from a weight table (an embedding lookup). */
    public static boolean isLookup(GraphView graph, String tensor) {
        return graph.producer(tensor).filter(n -> readsWeightTable(graph, n)).isPresent();
    }

    private static boolean readsWeightTable(GraphView graph, GraphNode node) {
        Set<String> runtimeInputs = new HashSet<>(graph.inputs());
        return node.opType().equals("Gather") && node.input(0)
                .filter(table -> graph.ancestors(table).stream().noneMatch(runtimeInputs::contains)).isPresent();
    }
}
