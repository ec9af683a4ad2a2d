package io.xai4j.io;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Folder names made from free text (class labels, file stems) that every file system accepts. */
public final class FolderNames {
    /** The longest name returned; file systems allow 255 bytes, and the name may get a suffix. */
    public static final int MAX_LENGTH = 96;
    private static final int HASH_LENGTH = 8;

    private FolderNames() {
    }

    /**
     * {@code text} with every run of characters other than letters, digits, {@code .}, {@code _} and {@code -}
     * replaced by {@code _}, without leading or trailing {@code _}; a result longer than {@link #MAX_LENGTH}, or
     * empty, or only dots, is cut and ends in a hash of the whole text, so distinct texts stay distinct.
     */
    public static String safe(String text) {
        String name = text.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", "");
        if (name.length() <= MAX_LENGTH && !name.isEmpty() && !name.matches("\\.+")) {
            return name;
        }
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        String hash = String.format("%0" + HASH_LENGTH + "x", crc.getValue());
        String head = name.replaceAll("^\\.+", "");
        head = head.substring(0, Math.min(head.length(), MAX_LENGTH - HASH_LENGTH - 1));
        return head.isEmpty() ? hash : head + "-" + hash;
    }
}
