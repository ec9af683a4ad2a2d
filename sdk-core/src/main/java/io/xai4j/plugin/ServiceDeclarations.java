package io.xai4j.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The provider class names listed in {@code META-INF/services} files, with the jar that lists each; used to name
 * the jar of a provider whose class cannot be loaded.
 */
final class ServiceDeclarations {
    private final Map<String, String> jarByProvider;

    private ServiceDeclarations(Map<String, String> jarByProvider) {
        this.jarByProvider = jarByProvider;
    }

    static ServiceDeclarations scan(Class<?> service, ClassLoader loader) throws IOException {
        Map<String, String> jars = new LinkedHashMap<>();
        Enumeration<URL> resources = loader.getResources("META-INF/services/" + service.getName());
        while (resources.hasMoreElements()) {
            URL url = resources.nextElement();
            String jar = location(url);
            try (InputStream in = url.openStream();
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    int comment = line.indexOf('#');
                    String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
                    if (!name.isEmpty()) {
                        jars.putIfAbsent(name, jar);
                    }
                }
            }
        }
        return new ServiceDeclarations(jars);
    }

    /** The jar that lists {@code provider}, or null. */
    String jarOf(String provider) {
        return jarByProvider.get(provider);
    }

    /** The longest listed provider name that {@code text} mentions, or null. */
    String providerMentionedIn(String text) {
        String best = null;
        if (text != null) {
            for (String name : jarByProvider.keySet()) {
                if (text.contains(name) && (best == null || name.length() > best.length())) {
                    best = name;
                }
            }
        }
        return best;
    }

    /** The jar file or class directory holding a resource or class at {@code url}, as a file path when possible. */
    static String location(URL url) {
        String s = url.toString();
        if (s.startsWith("jar:")) {
            int bang = s.indexOf("!/");
            s = s.substring(4, bang < 0 ? s.length() : bang);
        } else {
            int services = s.indexOf("META-INF/services/");
            if (services >= 0) {
                s = s.substring(0, services);
            }
        }
        if (s.startsWith("file:")) {
            try {
                return Path.of(new URL(s).toURI()).toString();
            } catch (URISyntaxException | IOException | IllegalArgumentException e) {
                return s;
            }
        }
        return s;
    }
}
