package io.xai4j.methods.gradient;

import io.xai4j.spi.backward.BackwardContext;
import java.util.List;
import java.util.Map;

/** Shorthands for the element-wise ops relevance rules emit, all through one {@link BackwardContext}. */
final class Ops {
    private final BackwardContext c;

    Ops(BackwardContext c) {
        this.c = c;
    }

    String op(String type, String... inputs) {
        return c.emit(type, List.of(inputs), Map.of());
    }

    String add(String a, String b) {
        return op("Add", a, b);
    }

    String sub(String a, String b) {
        return op("Sub", a, b);
    }

    String mul(String a, String b) {
        return op("Mul", a, b);
    }

    String div(String a, String b) {
        return op("Div", a, b);
    }

    /** {@code max(t, 0)}. */
    String positive(String t) {
        return op("Relu", t);
    }

    /** {@code min(t, 0)}. */
    String negative(String t) {
        return op("Neg", op("Relu", op("Neg", t)));
    }

    /** A scalar typed like the forward tensor {@code like}. */
    String scalar(double value, String like) {
        return c.scalar(value, like);
    }

    /** Ones shaped and typed like the forward tensor {@code t}. */
    String onesLike(String t) {
        return add(c.zerosLike(t), c.scalar(1, t));
    }

    /**
     * {@code r / (z + e sign(z))} with {@code sign(0) = 1}: the share of each output's relevance per unit of its
     * (stabilised) value. {@code like} is a forward tensor typed like {@code z}.
     */
    String perUnit(String r, String z, double e, String like) {
        String sign = c.emit("Where", List.of(op("GreaterOrEqual", z, scalar(0, like)), scalar(e, like),
                scalar(-e, like)), Map.of());
        return div(r, add(z, sign));
    }

    /** {@link #perUnit} where {@code z} is known to be {@code >= 0} ({@code < 0} if not {@code positive}). */
    String perUnit(String r, String z, double e, String like, boolean positive) {
        return div(r, add(z, scalar(positive ? e : -e, like)));
    }
}
