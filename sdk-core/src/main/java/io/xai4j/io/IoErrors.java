package io.xai4j.io;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** File-system errors as the library reports them: the path and the reason, in words. */
public final class IoErrors {
    private IoErrors() {
    }

    /**
     * An {@link ErrorCode#IO_ERROR} "cannot {@code action} {@code file}: reason", naming the folder on the way to
     * {@code file} that failed when it was one of them ({@code (at a-file)}).
     */
    public static XaiException of(String action, Path file, IOException e) {
        String at = "";
        if (e instanceof FileSystemException f && f.getFile() != null) {
            Path failed = Path.of(f.getFile()).toAbsolutePath();
            Path target = file.toAbsolutePath();
            at = target.startsWith(failed) && !target.equals(failed) ? " (at " + f.getFile() + ")" : "";
        }
        return new XaiException(ErrorCode.IO_ERROR, "cannot " + action + " " + file + ": " + reason(e) + at, e);
    }

    /**
     * An {@link ErrorCode#IO_ERROR} for an I/O failure that no caller described: "file system error on FILE: reason",
     * with the file when the exception names one.
     */
    public static XaiException of(IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? " on " + f.getFile() : "";
        return new XaiException(ErrorCode.IO_ERROR, "file system error" + file + ": " + reason(e), e);
    }

    /** Why an I/O operation failed: "permission denied", "no such file or folder", ... */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "a file is in the way where a folder is needed";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists and is not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "a folder that is not empty is in the way";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
