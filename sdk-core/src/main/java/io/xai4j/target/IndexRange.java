package io.xai4j.target;

/** A half-open index range {@code [start, end)} on one axis; {@code end == -1} means to the end. */
public record IndexRange(int start, int end) {
    public static final IndexRange ALL = new IndexRange(0, -1);

    public IndexRange {
        if (start < 0 || (end != -1 && end <= start)) {
            throw new IllegalArgumentException("bad range " + start + ":" + end);
        }
    }

    public static IndexRange single(int index) {
        return new IndexRange(index, index + 1);
    }

    public int endFor(int size) {
        return end == -1 ? size : end;
    }

    @Override
    public String toString() {
        if (end == start + 1) {
            return Integer.toString(start);
        }
        return (start == 0 ? "" : Integer.toString(start)) + ":" + (end == -1 ? "" : Integer.toString(end));
    }
}
