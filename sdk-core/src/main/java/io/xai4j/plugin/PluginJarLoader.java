package io.xai4j.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Enumeration;

/**
 * The class loader of one plugin jar. Classes load parent first, so the plugin shares the SDK's classes and
 * dependencies, and never sees another plugin jar. Service files come from the jar alone: a {@link
 * java.util.ServiceLoader} over this loader finds the jar's own providers, not those of the parent again.
 */
final class PluginJarLoader extends URLClassLoader {
    private static final String SERVICES = "META-INF/services/";

    static {
        registerAsParallelCapable();
    }

    private final String jar;

    PluginJarLoader(Path jar, ClassLoader parent) throws MalformedURLException {
        super("xai4j-plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, parent);
        this.jar = jar.toString();
    }

    /** The jar, as in {@link LoadedMethod#jar()}. */
    String jar() {
        return jar;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith(SERVICES) ? findResources(name) : super.getResources(name);
    }
}
