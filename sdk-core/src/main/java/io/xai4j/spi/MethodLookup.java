package io.xai4j.spi;

import java.util.List;
import java.util.Optional;

/** The installed methods, for methods that wrap others (e.g. a noise tunnel around any gradient method). */
public interface MethodLookup {
    /** A lookup that knows no method. */
    MethodLookup NONE = new MethodLookup() {
        @Override
        public Optional<AttributionMethod> find(String name) {
            return Optional.empty();
        }

        @Override
        public List<AttributionMethod> all() {
            return List.of();
        }
    };

    /** The method called {@code name}, if installed. */
    Optional<AttributionMethod> find(String name);

    /** Every installed method. */
    List<AttributionMethod> all();
}
