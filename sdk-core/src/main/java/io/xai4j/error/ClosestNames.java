package io.xai4j.error;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** Suggestions for error messages: the valid names closest to a misspelt one. */
public final class ClosestNames {
    private ClosestNames() {
    }

    /**
     * Up to {@code limit} candidates, those containing (or contained in) {@code reference} first, then by edit
     * distance, ignoring case; ties in name order.
     */
    public static List<String> closest(String reference, Collection<String> candidates, int limit) {
        String ref = reference == null ? "" : reference.toLowerCase(Locale.ROOT);
        List<String> sorted = new ArrayList<>(new LinkedHashSet<>(candidates));
        sorted.sort(Comparator.comparingInt((String n) -> {
            String low = n.toLowerCase(Locale.ROOT);
            return !ref.isEmpty() && (low.contains(ref) || ref.contains(low)) ? 0 : 1;
        }).thenComparingInt(n -> distance(ref, n.toLowerCase(Locale.ROOT))).thenComparing(Comparator.naturalOrder()));
        return sorted.subList(0, Math.min(limit, sorted.size()));
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
