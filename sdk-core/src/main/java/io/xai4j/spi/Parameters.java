package io.xai4j.spi;

import io.xai4j.baseline.Baseline;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validated, typed parameter values of one method call: the user's values over the descriptor's defaults.
 * Build with {@link #parse(MethodDescriptor, Map)}.
 */
public final class Parameters {
    private final String owner;
    private final Map<String, Object> values;
    private final Map<String, String> text;
    private final Map<String, Object> nested;

    private Parameters(String owner, Map<String, Object> values, Map<String, String> text,
            Map<String, Object> nested) {
        this.owner = owner;
        this.values = values;
        this.text = text;
        this.nested = nested;
    }

    /**
     * Validates {@code raw} against the descriptor. A value is text, as on the command line, or typed: a
     * {@link Number} for {@code INT} (whole) and {@code FLOAT}, a {@link Boolean}, an {@link Enum} or text for
     * {@code CHOICE} (matched ignoring case, {@code _} and {@code -}), an {@code int[]} or a collection of whole
     * numbers for {@code INT_LIST}, a {@link Baseline}, {@link Tensor} or {@link Number} for {@code BASELINE}, a
     * {@link Tensor} or a {@link Path} of an .npy file for {@code TENSOR}. Values of {@code NESTED} parameters are
     * kept as given, for the wrapped method to validate.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_PARAMETER} or {@link ErrorCode#INVALID_PARAMETER}, listing
     *                      the valid names or values
     */
    public static Parameters parse(MethodDescriptor descriptor, Map<String, ?> raw) {
        return parse("method '" + descriptor.name() + "'", descriptor.parameters(), raw);
    }

    /**
     * Validates {@code raw} against {@code specs}, as {@link #parse(MethodDescriptor, Map)} does, for any owner of
     * parameters (a method, a metric).
     *
     * @param owner what takes the parameters, for messages, e.g. {@code metric 'deletion'}
     */
    public static Parameters parse(String owner, List<ParameterSpec> specs, Map<String, ?> raw) {
        Map<String, Object> nested = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            ParameterSpec spec = specs.stream().filter(p -> p.covers(e.getKey())).findFirst()
                    .orElseThrow(() -> new XaiException(ErrorCode.UNKNOWN_PARAMETER, "unknown parameter '"
                            + e.getKey() + "' for " + owner + "; valid parameters: " + describe(specs)));
            if (e.getValue() == null) {
                throw new XaiException(ErrorCode.INVALID_PARAMETER, "parameter '" + e.getKey() + "' of " + owner
                        + " has no value; expected " + expectation(spec));
            }
            if (spec.type() == ParameterType.NESTED) {
                nested.put(e.getKey(), e.getValue());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> text = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            if (spec.type() == ParameterType.NESTED) {
                continue;
            }
            Object value = raw.containsKey(spec.name()) ? raw.get(spec.name()) : spec.defaultValue();
            if (value != null) {
                values.put(spec.name(), convert(owner, spec, value));
                text.put(spec.name(), asText(value));
            }
        }
        nested.forEach((name, value) -> text.put(name, asText(value)));
        return new Parameters(owner, Collections.unmodifiableMap(values), Collections.unmodifiableMap(text),
                Collections.unmodifiableMap(nested));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public int getInt(String name) {
        return (Integer) require(name);
    }

    public double getDouble(String name) {
        return (Double) require(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    public String getString(String name) {
        return (String) require(name);
    }

    public int[] getIntList(String name) {
        return ((int[]) require(name)).clone();
    }

    public Baseline getBaseline(String name) {
        return (Baseline) require(name);
    }

    public Tensor getTensor(String name) {
        return (Tensor) require(name);
    }

    /**
     * The values given under a {@link ParameterType#NESTED} prefix, without it: {@code base.steps=16} is
     * {@code steps=16} for prefix {@code base.}.
     */
    public Map<String, Object> nested(String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        nested.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), value);
            }
        });
        return out;
    }

    /** The effective values as text, for provenance and JSON; a tensor reads {@code tensor[1, 3, 8, 8]}. */
    public Map<String, String> asText() {
        return text;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, owner + " needs parameter '" + name + "'");
        }
        return v;
    }

    private static String asText(Object value) {
        if (value instanceof Tensor t) {
            return "tensor" + Arrays.toString(t.shape());
        }
        if (value instanceof Baseline b) {
            return b.spec();
        }
        if (value instanceof int[] list) {
            return Arrays.stream(list).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    private static Object convert(String method, ParameterSpec spec, Object value) {
        try {
            return value instanceof CharSequence text ? parseText(spec, text.toString().trim()) : typed(spec, value);
        } catch (XaiException e) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "bad value '" + asText(value) + "' for parameter '"
                    + spec.name() + "' of " + method + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "bad value '" + asText(value) + "' ("
                    + value.getClass().getSimpleName() + ") for parameter '" + spec.name() + "' of " + method
                    + ": expected " + expectation(spec), e);
        }
    }

    private static Object parseText(ParameterSpec spec, String v) {
        return switch (spec.type()) {
            case INT -> checkRange(spec, Integer.parseInt(v));
            case FLOAT -> checkRange(spec, finite(Double.parseDouble(v)));
            case BOOLEAN -> parseBoolean(v);
            case STRING, NESTED -> v;
            case CHOICE -> choice(spec, v);
            case INT_LIST -> checkRange(spec, Arrays.stream(v.split("[,x]")).map(String::trim)
                    .mapToInt(Integer::parseInt).toArray());
            case BASELINE -> Baseline.parse(v);
            case TENSOR -> Npy.read(Path.of(v));
        };
    }

    private static Object typed(ParameterSpec spec, Object value) {
        return switch (spec.type()) {
            case INT -> checkRange(spec, Math.toIntExact(whole((Number) value)));
            case FLOAT -> checkRange(spec, finite(((Number) value).doubleValue()));
            case BOOLEAN -> (Boolean) value;
            case STRING, NESTED -> (String) value;
            case CHOICE -> choice(spec, value instanceof Enum<?> e ? e.name() : (String) value);
            case INT_LIST -> checkRange(spec, intList(value));
            case BASELINE -> value instanceof Tensor t ? new Baseline.Given(t, asText(t))
                    : value instanceof Number n ? new Baseline.Constant((float) finite(n.doubleValue())) : (Baseline) value;
            case TENSOR -> value instanceof Path p ? Npy.read(p) : (Tensor) value;
        };
    }

    private static long whole(Number n) {
        double d = n.doubleValue();
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException("not a whole number");
        }
        return n.longValue();
    }

    private static int[] intList(Object value) {
        if (value instanceof int[] list) {
            return list.clone();
        }
        return ((Collection<?>) value).stream().mapToInt(n -> Math.toIntExact(whole((Number) n))).toArray();
    }

    private static double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not finite");
        }
        return d;
    }

    private static <T extends Number> T checkRange(ParameterSpec spec, T n) {
        double d = n.doubleValue();
        if ((spec.min() != null && d < spec.min()) || (spec.max() != null && d > spec.max())) {
            throw new IllegalArgumentException("out of range");
        }
        return n;
    }

    private static int[] checkRange(ParameterSpec spec, int[] list) {
        for (int i : list) {
            checkRange(spec, i);
        }
        return list;
    }

    private static Boolean parseBoolean(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    /** The choice {@code v} names, ignoring case and the difference between {@code _} and {@code -}. */
    private static String choice(ParameterSpec spec, String v) {
        String wanted = normal(v);
        return spec.choices().stream().filter(c -> normal(c).equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a valid choice"));
    }

    private static String normal(String choice) {
        return choice.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String expectation(ParameterSpec spec) {
        String range = spec.min() == null && spec.max() == null ? ""
                : " in [" + (spec.min() == null ? "-inf" : fmt(spec.min())) + ", "
                        + (spec.max() == null ? "inf" : fmt(spec.max())) + "]";
        return switch (spec.type()) {
            case INT -> "a whole number" + range;
            case FLOAT -> "a number" + range;
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of " + String.join(", ", spec.choices());
            case INT_LIST -> "comma-separated whole numbers" + range + ", e.g. 3,32,32";
            case BASELINE -> "zeros, a number, mean, blur, blur:SIGMA, a tensor or an .npy path";
            case TENSOR -> "a tensor or the path of an .npy file";
            case STRING -> "text";
            case NESTED -> "a parameter of the wrapped method, e.g. " + spec.name() + "steps=16";
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String describe(MethodDescriptor descriptor) {
        return describe(descriptor.parameters());
    }

    static String describe(List<ParameterSpec> specs) {
        if (specs.isEmpty()) {
            return "(none)";
        }
        return specs.stream()
                .map(p -> (p.type() == ParameterType.NESTED ? p.name() + "KEY" : p.name()) + " (" + expectation(p)
                        + (p.defaultValue() == null ? "" : ", default " + p.defaultValue()) + ")")
                .collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return owner + text;
    }
}
