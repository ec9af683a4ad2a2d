package io.xai4j.spi;

/**
 * One dimension of a declared shape: a fixed size, or a symbol such as {@code batch} (size -1).
 */
public record Dim(long size, String symbol) {
    public static Dim fixed(long size) {
        return new Dim(size, null);
    }

    public static Dim symbolic(String symbol) {
        return new Dim(-1, symbol == null || symbol.isEmpty() ? "?" : symbol);
    }

    public boolean isFixed() {
        return size >= 0;
    }

    @Override
    public String toString() {
        return isFixed() ? Long.toString(size) : symbol;
    }
}
