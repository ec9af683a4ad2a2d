package io.xai4j.target;

/**
 * An index or a half-open range {@code [start, end)} on one axis, with Python's negative indices: {@code -1} is the
 * last element, {@code -3:} the last three. {@code end == }{@link #END} means to the end of the axis.
 *
 * @param start the first index (negative counts from the end)
 * @param end   the end, exclusive (negative counts from the end), or {@link #END}; ignored for a single index
 * @param index whether this is a single index {@code i} rather than a range {@code a:b}
 */
public record IndexRange(int start, int end, boolean index) {
    /** The end of the axis. */
    public static final int END = Integer.MAX_VALUE;
    public static final IndexRange ALL = new IndexRange(0, END);

    public IndexRange {
        index = index || start >= 0 && end == start + 1;
        if (!index && end != END && (start >= 0) == (end >= 0) && end <= start) {
            throw new IllegalArgumentException("empty range " + start + ":" + end);
        }
    }

    /** The range {@code start:end}. */
    public IndexRange(int start, int end) {
        this(start, end, false);
    }

    public static IndexRange single(int index) {
        return new IndexRange(index, index == -1 ? END : index + 1, true);
    }

    /**
     * The bounds {@code [from, to)} on an axis of {@code size} elements, or null when they fall outside it or the
     * range is empty.
     */
    public int[] bounds(int size) {
        int from = start < 0 ? start + size : start;
        int to = index ? from + 1 : end == END ? size : end < 0 ? end + size : end;
        return from < 0 || from >= size || to > size || to <= from ? null : new int[] {from, to};
    }

    @Override
    public String toString() {
        if (index) {
            return Integer.toString(start);
        }
        if (start == 0 && end == END) {
            return ":";
        }
        return start + ":" + (end == END ? "" : Integer.toString(end));
    }
}
