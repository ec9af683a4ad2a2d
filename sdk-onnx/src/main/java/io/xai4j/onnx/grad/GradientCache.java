package io.xai4j.onnx.grad;

import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModels;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An on-disk cache of gradient models, one file per key (see {@link GradientModelFormat}). The directory is
 * {@code ${user.home}/.cache/xai4j/gradients} unless the system property {@value #PROPERTY} or the environment
 * variable {@value #ENV} names another; the property value {@code off} disables the cache. Entries are written
 * through a temporary file and renamed; an unreadable entry is logged, deleted and rebuilt, never an error.
 */
public final class GradientCache {
    /** Bumped whenever backward rules or the gradient model layout change, so older entries are not used. */
    public static final int FORMAT_VERSION = 5;
    public static final String PROPERTY = "xai4j.cache.dir";
    public static final String ENV = "XAI4J_CACHE_DIR";
    public static final String OFF = "off";
    /** The most the cache directory holds; older entries are evicted beyond it. */
    public static final long MAX_BYTES = 2L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(GradientCache.class);

    private final Path directory;

    private GradientCache(Path directory) {
        this.directory = directory;
    }

    /** A cache in {@code directory}, created on the first write. */
    public static GradientCache at(Path directory) {
        return new GradientCache(directory.toAbsolutePath());
    }

    public static GradientCache disabled() {
        return new GradientCache(null);
    }

    /** The cache configured by {@value #PROPERTY}, {@value #ENV} or the default directory. */
    public static GradientCache fromEnvironment() {
        return resolve(System.getProperty(PROPERTY), System.getenv(ENV), System.getProperty("user.home"));
    }

    static GradientCache resolve(String property, String env, String home) {
        String dir = property != null && !property.isBlank() ? property : env != null && !env.isBlank() ? env : null;
        if (dir != null) {
            return dir.trim().equalsIgnoreCase(OFF) ? disabled() : at(Path.of(dir.trim()));
        }
        return home == null ? disabled() : at(Path.of(home, ".cache", "xai4j", "gradients"));
    }

    /** The cache directory, empty when the cache is disabled. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    public boolean enabled() {
        return directory != null;
    }

    /** The file of an entry: the SHA-256 of the key. */
    Path file(String key) {
        return directory.resolve(OnnxModels.sha256(key.getBytes(StandardCharsets.UTF_8)) + ".onnx");
    }

    /**
     * The cached gradient model for {@code key}, with the weights of {@code source} (the model it was built from);
     * empty when absent or unreadable (then the entry is deleted).
     */
    Optional<GradientModel> load(String key, ModelProto source) {
        if (directory == null) {
            return Optional.empty();
        }
        Path file = file(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("cannot read cached gradient model {}: {}; rebuilding it", file, e.toString());
            return Optional.empty();
        }
        try {
            return Optional.of(GradientModelFormat.read(ModelProto.parseFrom(bytes), key, source));
        } catch (IOException | IllegalArgumentException e) {
            discard(key, e);
            return Optional.empty();
        }
    }

    /**
     * Stores {@code model}, built from {@code source}, under {@code key}, without the weights it shares with
     * {@code source}; a failed write is logged, not thrown.
     */
    void store(String key, GradientModel model, ModelProto source) {
        if (directory == null) {
            return;
        }
        Path file = file(key);
        try {
            Files.createDirectories(directory);
            OnnxModels.write(GradientModelFormat.write(model, key, source), file);
            evictBeyond(MAX_BYTES, file);
        } catch (IOException | XaiException e) {
            LOG.warn("cannot write the gradient model cache entry {}: {}", file, e.getMessage());
        }
    }

    /**
     * Deletes the least recently written entries until the cache holds at most {@code limit} bytes, never
     * {@code keep} (the entry just written).
     */
    void evictBeyond(long limit, Path keep) throws IOException {
        List<Path> entries;
        try (Stream<Path> files = Files.list(directory)) {
            entries = files.filter(f -> f.getFileName().toString().endsWith(".onnx")).collect(Collectors.toList());
        }
        Map<Path, FileTime> written = new HashMap<>();
        long total = 0;
        for (Path f : entries) {
            written.put(f, Files.getLastModifiedTime(f));
            total += Files.size(f);
        }
        entries.sort(Comparator.comparing(written::get));
        for (Path f : entries) {
            if (total <= limit) {
                return;
            }
            if (!f.equals(keep)) {
                total -= Files.size(f);
                Files.deleteIfExists(f);
                LOG.debug("evicted gradient model cache entry {}", f);
            }
        }
    }

    /** Deletes an entry that could not be used, logging why. */
    void discard(String key, Exception why) {
        Path file = file(key);
        LOG.warn("corrupt gradient model cache entry {} ({}); rebuilding it", file, why.getMessage());
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the corrupt cache entry {}: {}", file, e.getMessage());
        }
    }
}
