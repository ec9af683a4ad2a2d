package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import org.junit.jupiter.api.Test;

class OrtEnvironmentsTest {
    @Test
    void commandLinesUpToTheMeasuredLengthPass() {
        assertThatCode(() -> OrtEnvironments.check(0)).doesNotThrowAnyException();
        assertThatCode(() -> OrtEnvironments.check(OrtEnvironments.LONGEST_SAFE_COMMAND_LINE))
                .doesNotThrowAnyException();
    }

    @Test
    void longerOnesAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> OrtEnvironments.check(OrtEnvironments.LONGEST_SAFE_COMMAND_LINE + 1))
                .isInstanceOf(XaiException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((XaiException) e).code())
                        .isEqualTo(ErrorCode.DEVICE_UNAVAILABLE))
                .hasMessageContaining("3976 bytes long").hasMessageContaining("java @FILE");
    }
}
