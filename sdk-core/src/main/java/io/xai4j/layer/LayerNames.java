package io.xai4j.layer;

import io.xai4j.error.ClosestNames;
import io.xai4j.spi.LayerInfo;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Resolves a user's layer reference (tensor, node or scope) and suggests close names for unknown ones. */
final class LayerNames {
    static final int SUGGESTIONS = 8;

    private LayerNames() {
    }

    /** The tensor {@code reference} names: a tensor, a node's first output, or the last tensor of a scope. */
    static Optional<SelectedLayer> resolve(List<LayerInfo> layers, String reference) {
        for (LayerInfo l : layers) {
            if (l.tensor().equals(reference)) {
                return Optional.of(new SelectedLayer(l.tensor(), l.shape(), false, "tensor '" + reference + "'"));
            }
        }
        for (LayerInfo l : layers) {
            if (!l.node().isEmpty() && l.node().equals(reference)) {
                return Optional.of(new SelectedLayer(l.tensor(), l.shape(), false, "first output of node '"
                        + reference + "'"));
            }
        }
        List<String> scope = segments(reference);
        if (scope.isEmpty()) {
            return Optional.empty();
        }
        LayerInfo last = null;
        LayerInfo lastActivation = null;
        for (LayerInfo l : layers) {
            if (inScope(scopeOf(l), scope)) {
                last = l;
                if (l.shape().size() >= 3) {
                    lastActivation = l;
                }
            }
        }
        LayerInfo chosen = lastActivation != null ? lastActivation : last;
        return Optional.ofNullable(chosen).map(l -> new SelectedLayer(l.tensor(), l.shape(), false,
                "last tensor of scope '" + reference + "'"));
    }

    /** The scope segments of a layer: its node name (else tensor name) split at '/', the op name dropped. */
    private static List<String> scopeOf(LayerInfo l) {
        List<String> s = segments(l.node().isEmpty() ? l.tensor() : l.node());
        return s.isEmpty() ? s : s.subList(0, s.size() - 1);
    }

    private static List<String> segments(String name) {
        return Arrays.stream(name.split("/")).filter(x -> !x.isEmpty()).toList();
    }

    /** True when {@code wanted} occurs as consecutive segments of {@code path}. */
    private static boolean inScope(List<String> path, List<String> wanted) {
        for (int i = 0; i + wanted.size() <= path.size(); i++) {
            if (path.subList(i, i + wanted.size()).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Up to {@link #SUGGESTIONS} valid tensor and node names closest to {@code reference}. */
    static List<String> closest(List<LayerInfo> layers, String reference) {
        Set<String> names = new LinkedHashSet<>();
        for (LayerInfo l : layers) {
            names.add(l.tensor());
            if (!l.node().isEmpty()) {
                names.add(l.node());
            }
        }
        return ClosestNames.closest(reference, names, SUGGESTIONS);
    }
}
