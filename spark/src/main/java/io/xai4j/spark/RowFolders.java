package io.xai4j.spark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The relative output folder of a row, from its id: a source file's path below the input root (so the output is
 * partitioned like the input), or the id itself, made safe as a path: no {@code .} or {@code ..} segments, no
 * characters other than letters, digits, {@code . _ -}, and no segment longer than 120 characters. A segment that had
 * to change gets a checksum of the original, so two ids never share a folder.
 */
final class RowFolders {
    private static final int MAX_SEGMENT = 120;

    private RowFolders() {
    }

    /** The folder of {@code id}, relative to the output; {@code inputRoot} (a path or URI prefix) may be null. */
    static String of(String id, String inputRoot) {
        String relative = withoutScheme(id);
        if (inputRoot != null) {
            String root = withoutScheme(inputRoot);
            root = root.endsWith("/") ? root : root + "/";
            if (relative.startsWith(root)) {
                relative = relative.substring(root.length());
            }
        }
        List<String> segments = new ArrayList<>();
        for (String segment : relative.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".") && !segment.equals("..")) {
                segments.add(safe(segment));
            }
        }
        return segments.isEmpty() ? "row" : String.join("/", segments);
    }

    private static String withoutScheme(String id) {
        String path = id.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*:(//[^/]*)?", "");
        return path.replaceAll("/+", "/");
    }

    private static String safe(String segment) {
        String safe = segment.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.equals(segment) && safe.length() <= MAX_SEGMENT) {
            return safe;
        }
        CRC32 crc = new CRC32();
        crc.update(segment.getBytes(StandardCharsets.UTF_8));
        return safe.substring(0, Math.min(safe.length(), MAX_SEGMENT - 9)) + "-"
                + HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
