package io.xai4j.io;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The input files of a run: given files as they are, folders searched recursively for images ({@link
 * LoadedInput#IMAGE_EXTENSIONS}) and {@code .npy} tensors, in path order; and a distinct output name for each.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Expands folders into the image and {@code .npy} files under them (sorted by path); files stay as given.
     *
     * @throws XaiException {@link ErrorCode#INVALID_INPUT} for a missing path or a folder holding no such file
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.isDirectory(path)) {
                files.add(path);
                continue;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                List<Path> found = walk.filter(Files::isRegularFile).filter(InputFiles::readable).sorted().toList();
                if (found.isEmpty()) {
                    throw new XaiException(ErrorCode.INVALID_INPUT, "folder " + path + " holds no images ("
                            + String.join(", ", LoadedInput.IMAGE_EXTENSIONS) + ") or .npy files");
                }
                files.addAll(found);
            } catch (IOException | UncheckedIOException e) {
                throw new XaiException(ErrorCode.INVALID_INPUT, "cannot list folder " + path + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    /** Whether any of {@code paths} is a folder. */
    public static boolean anyFolder(List<Path> paths) {
        return paths.stream().anyMatch(Files::isDirectory);
    }

    /**
     * A distinct output name per file: its stem ({@code cat} for {@code a/cat.png}); files whose stems repeat get
     * their parent folders too ({@code a_cat}, {@code b_cat}), or the extension ({@code cat_png}), and a number as
     * a last resort, so no two inputs share an output folder.
     */
    public static Map<Path, String> outputNames(List<Path> files) {
        Map<String, Integer> stems = new LinkedHashMap<>();
        for (Path f : files) {
            stems.merge(stem(f), 1, Integer::sum);
        }
        Map<Path, String> names = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Path f : files) {
            String name = stem(f);
            if (stems.get(name) > 1) {
                Path parent = f.toAbsolutePath().normalize().getParent();
                name = (parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "_") + name
                        + "_" + extension(f);
            }
            if (name.length() > FolderNames.MAX_LENGTH) {
                name = FolderNames.safe(name);
            }
            String unique = name;
            for (int i = 2; !used.add(unique); i++) {
                unique = name + "-" + i;
            }
            names.put(f, unique);
        }
        return names;
    }

    private static boolean readable(Path f) {
        String ext = extension(f);
        return ext.equals("npy") || LoadedInput.IMAGE_EXTENSIONS.contains(ext);
    }

    /** The file name without its extension, e.g. {@code cat} for {@code cat.png}. */
    public static String stem(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The extension in lower case, without the dot; empty when there is none. */
    static String extension(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
