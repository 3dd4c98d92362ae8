package io.k0rdent.ops.k0ops.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadLetterIdTest {

    @Test
    void parsesWhatListPrints() {
        DeadLetterId id = DeadLetterId.parse("k0rdent.dlq.notifier/0/42");

        assertThat(id).isEqualTo(new DeadLetterId("k0rdent.dlq.notifier", 0, 42));
        assertThat(id).hasToString("k0rdent.dlq.notifier/0/42");
    }

    @Test
    void rejectsWhatIsNotAnId() {
        assertThatThrownBy(() -> DeadLetterId.parse("k0rdent.dlq.notifier")).hasMessageContaining("expected <topic>");
        assertThatThrownBy(() -> DeadLetterId.parse("t/x/1")).hasMessageContaining("not a dead letter id");
    }

    @Test
    void binaryValuesAreShownAsHex() {
        assertThat(DlqCommand.printable(new byte[] {0x00, (byte) 0xff})).isEqualTo("hex:00ff");
        assertThat(DlqCommand.printable("{\"a\":1}".getBytes())).isEqualTo("{\"a\":1}");
        assertThat(DlqCommand.printable(null)).isEqualTo("(null)");
    }
}
