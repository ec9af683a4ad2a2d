package io.xai4j.plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The folders searched for plugin jars, in order. {@link #standard(List)} gives the folders given explicitly (the
 * command line's {@code --plugins}), then those listed in {@value #ENV}, then the default folder
 * {@code ~/.xai4j/plugins} (the system property {@value #PROPERTY} replaces it). A folder listed twice is searched
 * once, at its first place.
 *
 * @param folders the folders, in search order
 */
public record PluginFolders(List<Folder> folders) {
    /** Environment variable: plugin folders separated by the platform's path separator. */
    public static final String ENV = "XAI4J_PLUGINS";
    /** System property: the default plugin folder, instead of {@code ~/.xai4j/plugins}. */
    public static final String PROPERTY = "xai4j.plugins";

    /** Why a folder is searched. */
    public enum Origin {
        GIVEN("given", "given explicitly"),
        ENVIRONMENT(ENV, "listed in " + ENV),
        DEFAULT("default", "the default plugin folder");

        private final String label;
        private final String description;

        Origin(String label, String description) {
            this.label = label;
            this.description = description;
        }

        /** A short name for listings: {@code given}, {@code XAI4J_PLUGINS} or {@code default}. */
        public String label() {
            return label;
        }

        /** Where the folder comes from, for messages. */
        public String description() {
            return description;
        }
    }

    /**
     * A folder to search.
     *
     * @param path   the folder, absolute and normalised
     * @param origin why it is searched; only a {@link Origin#DEFAULT} folder may be missing
     */
    public record Folder(Path path, Origin origin) {
        public Folder {
            path = path.toAbsolutePath().normalize();
            Objects.requireNonNull(origin, "origin");
        }

        /** Whether the folder must exist: every folder but the default one. */
        public boolean required() {
            return origin != Origin.DEFAULT;
        }
    }

    public PluginFolders {
        Map<Path, Folder> unique = new LinkedHashMap<>();
        folders.forEach(f -> unique.putIfAbsent(f.path(), f));
        folders = List.copyOf(unique.values());
    }

    /** No folders: the class path only. */
    public static PluginFolders none() {
        return new PluginFolders(List.of());
    }

    /** Exactly {@code folders}, each of which must exist. */
    public static PluginFolders of(List<Path> folders) {
        return new PluginFolders(folders.stream().map(p -> new Folder(p, Origin.GIVEN)).toList());
    }

    /** {@code given}, then the folders of {@value #ENV} in this process's environment, then the default folder. */
    public static PluginFolders standard(List<Path> given) {
        return standard(given, System::getenv);
    }

    /**
     * {@code given}, then the folders {@code environment} lists under {@value #ENV} (empty entries are skipped),
     * then {@link #defaultFolder()}.
     */
    public static PluginFolders standard(List<Path> given, UnaryOperator<String> environment) {
        List<Folder> folders = new ArrayList<>(of(given).folders());
        String listed = environment.apply(ENV);
        if (listed != null) {
            for (String entry : listed.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    folders.add(new Folder(Path.of(entry.trim()), Origin.ENVIRONMENT));
                }
            }
        }
        folders.add(new Folder(defaultFolder(), Origin.DEFAULT));
        return new PluginFolders(folders);
    }

    /** The system property {@value #PROPERTY} when set, else {@code .xai4j/plugins} in the user's home folder. */
    public static Path defaultFolder() {
        String property = System.getProperty(PROPERTY);
        return property != null && !property.isBlank() ? Path.of(property)
                : Path.of(System.getProperty("user.home"), ".xai4j", "plugins");
    }
}
