package io.xai4j.plugin;

import io.xai4j.error.ErrorCode;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ModelLoader;
import java.io.IOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers {@link AttributionMethod}s and {@link ModelLoader}s through {@link ServiceLoader}.
 *
 * <p>A broken provider never stops the others: a class that is missing, cannot be linked, is not a subtype, or
 * whose constructor or {@code descriptor()} throws becomes a {@link PluginProblem} naming its jar, and discovery
 * goes on. When two methods share a name, the first in class-path order wins; the later one is dropped and a
 * {@link ErrorCode#DUPLICATE_METHOD} problem names both classes and jars. Model loaders are unique by
 * {@link ModelLoader#name()} the same way. Problems are logged at WARN.
 */
public final class PluginLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);
    /** Stops a provider iterator that keeps failing without progress. */
    private static final int MAX_CONSECUTIVE_FAILURES = 10_000;

    private final ClassLoader classLoader;
    private final List<PluginProblem> problems = new ArrayList<>();

    private PluginLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Discovers plugins with the thread's context class loader (or this class's loader when there is none). */
    public static PluginReport discover() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return discover(context != null ? context : PluginLoader.class.getClassLoader());
    }

    /** Discovers plugins visible to {@code classLoader}. */
    public static PluginReport discover(ClassLoader classLoader) {
        return new PluginLoader(classLoader).run();
    }

    private PluginReport run() {
        List<LoadedMethod> methods = validateMethods(load(AttributionMethod.class));
        List<LoadedModelLoader> loaders = validateLoaders(load(ModelLoader.class));
        for (PluginProblem p : problems) {
            LOG.warn("plugin problem: {}", p);
        }
        return new PluginReport(methods, loaders, problems);
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
                        + "); the first in class-path order wins, so " + f.className() + " is ignored",
                        ErrorCode.DUPLICATE_METHOD));
                continue;
            }
            byName.put(descriptor.name(), new LoadedMethod(f.instance(), f.jar()));
        }
        return List.copyOf(byName.values());
    }

    private List<LoadedModelLoader> validateLoaders(List<Found<ModelLoader>> found) {
        Map<String, LoadedModelLoader> byName = new LinkedHashMap<>();
        for (Found<ModelLoader> f : found) {
            String name;
            try {
                name = f.instance().name();
            } catch (RuntimeException | LinkageError e) {
                fail(f.jar(), f.className(), "name() failed: " + describe(e), e);
                continue;
            }
            if (name == null || name.isBlank()) {
                fail(f.jar(), f.className(), "name() returned no name", null);
                continue;
            }
            LoadedModelLoader first = byName.get(name);
            if (first != null) {
                fail(f.jar(), f.className(), "model loader name '" + name + "' is already provided by "
                        + first.loader().getClass().getName() + " (" + first.jar()
                        + "); the first in class-path order wins, so " + f.className() + " is ignored", null);
                continue;
            }
            byName.put(name, new LoadedModelLoader(f.instance(), f.jar()));
        }
        return List.copyOf(byName.values());
    }

    /**
     * Instantiates every provider of {@code service}. The lazy provider iterator reports a bad entry (missing
     * class, not a subtype, no public no-argument constructor) from {@code hasNext}/{@code next} and then moves
     * past it, so iteration continues after each failure.
     */
    private <S> List<Found<S>> load(Class<S> service) {
        ServiceDeclarations declarations;
        try {
            declarations = ServiceDeclarations.scan(service, classLoader);
        } catch (IOException e) {
            fail(PluginProblem.UNKNOWN, PluginProblem.UNKNOWN, "cannot read the META-INF/services/"
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
                fail(jar == null ? PluginProblem.UNKNOWN : jar, className == null ? PluginProblem.UNKNOWN : className,
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
