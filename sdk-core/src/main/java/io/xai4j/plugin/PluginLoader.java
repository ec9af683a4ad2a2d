package io.xai4j.plugin;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.metric.Metric;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ModelLoader;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers {@link AttributionMethod}s, {@link ModelLoader}s, {@link BackwardRuleSet}s and {@link Metric}s through
 * {@link ServiceLoader}: on the class path, then in the jars of plugin folders ({@link PluginFolders}), folder by folder and
 * jar by jar in name order. Each plugin jar gets its own class loader ({@link PluginJarLoader}) whose parent holds the
 * SDK, so a plugin sees {@code io.xai4j} and the SDK's dependencies but no other plugin jar.
 *
 * <p>A broken jar or provider never stops the others: a jar that cannot be opened, and a provider class that is
 * missing, cannot be linked, is not a subtype, or whose constructor, {@code descriptor()} or {@code name()} throws,
 * becomes a {@link PluginProblem} naming its jar, and discovery goes on. When two methods share a name, the first
 * found wins; the later one is dropped and a {@link ErrorCode#DUPLICATE_METHOD} problem names both classes and jars.
 * Model loaders and rule sets are unique by {@code name()} the same way, metrics by their descriptor's name; {@value GradientRequest#EXACT} is the
 * built-in rule set's name. Problems are logged at WARN.
 */
public final class PluginLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);
    /** Stops a provider iterator that keeps failing without progress. */
    private static final int MAX_CONSECUTIVE_FAILURES = 10_000;
    private static final String FIRST_WINS = "the first found (class path first, then plugin folders in order) wins";

    private final List<PluginProblem> problems = new ArrayList<>();

    private PluginLoader() {
    }

    /** Discovers plugins on the class path of the thread's context class loader (or this class's loader). */
    public static PluginReport discover() {
        return discover(contextLoader());
    }

    /** Discovers plugins visible to {@code classLoader}. */
    public static PluginReport discover(ClassLoader classLoader) {
        return discover(classLoader, PluginFolders.none());
    }

    /** Discovers plugins on the class path (as {@link #discover()}) and in exactly {@code folders}. */
    public static PluginReport discover(List<Path> folders) {
        return discover(PluginFolders.of(folders));
    }

    /** Discovers plugins on the class path (as {@link #discover()}) and in {@code folders}. */
    public static PluginReport discover(PluginFolders folders) {
        return discover(contextLoader(), folders);
    }

    /**
     * Discovers plugins visible to {@code classPath}, then those in the jars of {@code folders}.
     *
     * @throws XaiException {@link ErrorCode#PLUGIN_FAILURE} when a folder other than the default one is missing or
     *                      not a folder
     */
    public static PluginReport discover(ClassLoader classPath, PluginFolders folders) {
        folders.folders().forEach(PluginLoader::checkExists);
        return new PluginLoader().run(classPath, folders);
    }

    private static ClassLoader contextLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : PluginLoader.class.getClassLoader();
    }

    private static void checkExists(PluginFolders.Folder folder) {
        Path path = folder.path();
        if (folder.required() && !Files.isDirectory(path)) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "plugin folder " + path + " (" + folder.origin()
                    .description() + ") " + (Files.exists(path) ? "is not a folder; give the folder that holds the"
                            + " plugin jars" : "does not exist; create it or correct the path"));
        }
    }

    private PluginReport run(ClassLoader classPath, PluginFolders folders) {
        List<ClassLoader> sources = new ArrayList<>(List.of(classPath));
        List<String> jars = new ArrayList<>();
        for (PluginFolders.Folder folder : folders.folders()) {
            for (Path jar : jarsIn(folder)) {
                jars.add(jar.toString());
                open(jar).ifPresent(sources::add);
            }
        }
        List<LoadedMethod> methods = validateMethods(load(AttributionMethod.class, sources));
        List<LoadedModelLoader> loaders = unique(load(ModelLoader.class, sources), "model loader",
                ModelLoader::name, Set.of()).stream().map(f -> new LoadedModelLoader(f.instance(), f.jar())).toList();
        List<LoadedRuleSet> ruleSets = unique(load(BackwardRuleSet.class, sources), "backward rule set",
                BackwardRuleSet::name, Set.of(GradientRequest.EXACT)).stream()
                .map(f -> new LoadedRuleSet(f.instance(), f.jar())).toList();
        List<LoadedMetric> metrics = unique(load(Metric.class, sources), "metric", m -> m.descriptor().name(),
                Set.of()).stream().map(f -> new LoadedMetric(f.instance(), f.jar())).toList();
        Set<ClassLoader> used = new HashSet<>();
        methods.forEach(m -> used.add(m.method().getClass().getClassLoader()));
        loaders.forEach(l -> used.add(l.loader().getClass().getClassLoader()));
        ruleSets.forEach(r -> used.add(r.ruleSet().getClass().getClassLoader()));
        metrics.forEach(m -> used.add(m.metric().getClass().getClassLoader()));
        sources.stream().filter(s -> s instanceof PluginJarLoader && !used.contains(s))
                .forEach(s -> close((PluginJarLoader) s));
        for (PluginProblem p : problems) {
            LOG.warn("plugin problem: {}", p);
        }
        return new PluginReport(methods, loaders, ruleSets, problems, folders.folders(), jars, metrics);
    }

    /** The jars directly in {@code folder}, by name; none when a default folder is missing. */
    private List<Path> jarsIn(PluginFolders.Folder folder) {
        if (!Files.isDirectory(folder.path())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder.path())) {
            return files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            fail(folder.path().toString(), PluginProblem.UNKNOWN, "cannot list the plugin folder: " + describe(e), e);
            return List.of();
        }
    }

    /** A class loader over {@code jar}, or none (and a problem) when the jar cannot be opened. */
    private Optional<ClassLoader> open(Path jar) {
        try (JarFile opened = new JarFile(jar.toFile())) {
            // a class loader skips an unreadable jar silently; opening it here names the reason
            LOG.debug("plugin jar {} has {} entries", jar, opened.size());
            return Optional.of(new PluginJarLoader(jar, AttributionMethod.class.getClassLoader()));
        } catch (IOException | SecurityException e) {
            fail(jar.toString(), PluginProblem.UNKNOWN, "cannot open the jar: " + describe(e), e);
            return Optional.empty();
        }
    }

    private static void close(PluginJarLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("cannot close the class loader {}", loader.getName(), e);
        }
    }

    private List<LoadedMethod> validateMethods(List<Found<AttributionMethod>> found) {
        Map<String, LoadedMethod> byName = new LinkedHashMap<>();
        for (Found<AttributionMethod> f : found) {
            MethodDescriptor descriptor;
            try {
                descriptor = f.instance().descriptor();
            } catch (RuntimeException | LinkageError e) {
                fail(f.jar(), f.className(), "descriptor() failed: " + describe(e), e);
                continue;
            }
            if (descriptor == null) {
                fail(f.jar(), f.className(), "descriptor() returned null", null);
                continue;
            }
            LoadedMethod first = byName.get(descriptor.name());
            if (first != null) {
                problems.add(new PluginProblem(f.jar(), f.className(), "method name '" + descriptor.name()
                        + "' is already provided by " + first.method().getClass().getName() + " (" + first.jar()
                        + "); " + FIRST_WINS + ", so " + f.className() + " is ignored", ErrorCode.DUPLICATE_METHOD));
                continue;
            }
            byName.put(descriptor.name(), new LoadedMethod(f.instance(), f.jar()));
        }
        return List.copyOf(byName.values());
    }

    /** The providers with a valid name not {@code reserved}, the first of each name. */
    private <S> List<Found<S>> unique(List<Found<S>> found, String kind, Function<S, String> nameOf,
            Set<String> reserved) {
        Map<String, Found<S>> byName = new LinkedHashMap<>();
        for (Found<S> f : found) {
            String name;
            try {
                name = nameOf.apply(f.instance());
            } catch (RuntimeException | LinkageError e) {
                fail(f.jar(), f.className(), "name() failed: " + describe(e), e);
                continue;
            }
            Found<S> first = name == null ? null : byName.get(name);
            if (name == null || name.isBlank()) {
                fail(f.jar(), f.className(), "name() returned no name", null);
            } else if (reserved.contains(name)) {
                fail(f.jar(), f.className(), kind + " name '" + name + "' is the name of the built-in " + kind
                        + "; rename " + f.className(), null);
            } else if (first != null) {
                fail(f.jar(), f.className(), kind + " name '" + name + "' is already provided by " + first.className()
                        + " (" + first.jar() + "); " + FIRST_WINS + ", so " + f.className() + " is ignored", null);
            } else {
                byName.put(name, f);
            }
        }
        return List.copyOf(byName.values());
    }

    /** Every provider of {@code service} in each source, in order. */
    private <S> List<Found<S>> load(Class<S> service, List<ClassLoader> sources) {
        List<Found<S>> found = new ArrayList<>();
        sources.forEach(source -> found.addAll(load(service, source)));
        return found;
    }

    /**
     * Instantiates every provider of {@code service}. The lazy provider iterator reports a bad entry (missing
     * class, not a subtype, no public no-argument constructor) from {@code hasNext}/{@code next} and then moves
     * past it, so iteration continues after each failure.
     */
    private <S> List<Found<S>> load(Class<S> service, ClassLoader classLoader) {
        ServiceDeclarations declarations;
        try {
            declarations = ServiceDeclarations.scan(service, classLoader);
        } catch (IOException e) {
            fail(sourceJar(classLoader), PluginProblem.UNKNOWN, "cannot read the META-INF/services/"
                    + service.getName() + " files: " + describe(e), e);
            return List.of();
        }
        List<Found<S>> found = new ArrayList<>();
        Iterator<ServiceLoader.Provider<S>> providers = ServiceLoader.load(service, classLoader).stream().iterator();
        int failures = 0;
        while (failures < MAX_CONSECUTIVE_FAILURES) {
            ServiceLoader.Provider<S> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
                failures = 0;
            } catch (ServiceConfigurationError | LinkageError e) {
                failures++;
                String className = declarations.providerMentionedIn(e.getMessage());
                String jar = className == null ? null : declarations.jarOf(className);
                fail(jar == null ? sourceJar(classLoader) : jar, className == null ? PluginProblem.UNKNOWN : className,
                        describe(e), e);
                continue;
            }
            String className = provider.type().getName();
            String jar = jarOf(provider.type(), declarations);
            try {
                found.add(new Found<>(provider.get(), className, jar));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                fail(jar, className, describe(e), e);
            }
        }
        return found;
    }

    private void fail(String jar, String provider, String reason, Throwable cause) {
        problems.add(new PluginProblem(jar, provider, reason, ErrorCode.PLUGIN_FAILURE));
        if (cause != null) {
            LOG.debug("plugin provider {} from {} failed", provider, jar, cause);
        }
    }

    /** The plugin jar of {@code source}, or {@code unknown} for the class path. */
    private static String sourceJar(ClassLoader source) {
        return source instanceof PluginJarLoader pluginJar ? pluginJar.jar() : PluginProblem.UNKNOWN;
    }

    private static String jarOf(Class<?> type, ServiceDeclarations declarations) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url != null) {
            return ServiceDeclarations.location(url);
        }
        String listed = declarations.jarOf(type.getName());
        return listed == null ? PluginProblem.UNKNOWN : listed;
    }

    /** The message of {@code e} and of its root cause, without the service-name prefix. */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ServiceConfigurationError) {
            int colon = message.indexOf(": ");
            message = colon >= 0 ? message.substring(colon + 2) : message;
        } else {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        Throwable root = e.getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != null) {
            message += ": " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        }
        return message;
    }

    private record Found<S>(S instance, String className, String jar) {
    }
}
