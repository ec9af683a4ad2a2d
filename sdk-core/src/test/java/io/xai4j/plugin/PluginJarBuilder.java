package io.xai4j.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.spi.AttributionMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds a plugin jar at test time: compiles sources against the SDK classes and lists service providers. */
public final class PluginJarBuilder {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, List<String>> services = new LinkedHashMap<>();
    private final List<String> omitted = new ArrayList<>();

    /** Adds a source file for class {@code className}. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Lists {@code provider} in {@code META-INF/services/<service>}. */
    public PluginJarBuilder provider(Class<?> service, String provider) {
        services.computeIfAbsent(service.getName(), s -> new ArrayList<>()).add(provider);
        return this;
    }

    /** Compiles {@code className} but leaves it (and its nested classes) out of the jar, as a missing dependency. */
    public PluginJarBuilder omit(String className) {
        omitted.add(className.replace('.', '/'));
        return this;
    }

    /** Compiles into {@code dir/<jarName>-classes} and writes {@code dir/<jarName>}. */
    public Path build(Path dir, String jarName) throws IOException, URISyntaxException {
        Path src = Files.createDirectories(dir.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(dir.resolve(jarName + "-classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", sdkClasses(),
                "--release", "17", "-proc:none"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK with javac").isNotNull();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac exit code").isZero();
        Path jar = dir.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String name = classes.relativize(f).toString().replace('\\', '/');
                    if (omitted.stream().noneMatch(o -> name.equals(o + ".class") || name.startsWith(o + "$"))) {
                        put(out, name, Files.readAllBytes(f));
                    }
                }
            }
            for (Map.Entry<String, List<String>> e : services.entrySet()) {
                put(out, "META-INF/services/" + e.getKey(),
                        (String.join("\n", e.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream o = out;
        o.write(bytes);
        out.closeEntry();
    }

    /** Where the SDK's own classes live: the plugin compiles against them only. */
    private static String sdkClasses() throws URISyntaxException {
        return Path.of(AttributionMethod.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
