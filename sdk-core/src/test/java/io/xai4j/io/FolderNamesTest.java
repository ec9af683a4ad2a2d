package io.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderNamesTest {
    @TempDir
    Path dir;

    @Test
    void plainLabelsKeepTheirNames() {
        assertThat(FolderNames.safe("top-1 (class 3, tabby cat)")).isEqualTo("top-1_class_3_tabby_cat");
    }

    @Test
    void longLabelsAreCutWithAHashAndStayDistinctAndCreatable() throws Exception {
        String a = "a".repeat(300) + "0";
        String b = "a".repeat(300) + "1";
        assertThat(FolderNames.safe(a)).hasSizeLessThanOrEqualTo(FolderNames.MAX_LENGTH).isNotEqualTo(FolderNames.safe(b));
        assertThat(Files.isDirectory(Files.createDirectories(dir.resolve(FolderNames.safe(a))))).isTrue();
    }

    @Test
    void labelsWithoutSafeCharactersNeverNameTheParentOrTheFolderItself() {
        for (String label : new String[] {"???", "", "..", "."}) {
            String name = FolderNames.safe(label);
            assertThat(name).isNotEmpty().doesNotMatch("\\.+");
        }
        assertThat(FolderNames.safe("???")).isNotEqualTo(FolderNames.safe("!!!"));
    }
}
