package io.xai4j.layer;

import io.xai4j.spi.Model;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values computed once per model instance, such as the analysis of its graph, which does not depend on input
 * values. Entries live as long as the model object is reachable; values must not refer to the model. A computation
 * that throws stores nothing. Thread-safe.
 *
 * @param <K> the key within one model
 * @param <V> the value, never null
 */
public final class PerModelCache<K, V> {
    private final Map<Model, Map<K, V>> byModel = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * The value for {@code key} on {@code model}, computed on first use and once (concurrent callers wait for it);
     * {@code compute} must not use this cache.
     */
    public V get(Model model, K key, Function<? super K, ? extends V> compute) {
        return byModel.computeIfAbsent(model, m -> new ConcurrentHashMap<>()).computeIfAbsent(key, compute);
    }
}
