package io.k0rdent.ops.notifier.commitstatus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusTextTest {

    @Test
    void shortTextIsKept() {
        assertThat(StatusText.truncate("Cluster Ready", 140)).isEqualTo("Cluster Ready");
        assertThat(StatusText.truncate("x".repeat(140), 140)).hasSize(140);
    }

    @Test
    void longTextEndsInAnEllipsisWithinTheLimit() {
        String cut = StatusText.truncate("y".repeat(300), 140);

        assertThat(cut).hasSize(140).endsWith("…").startsWith("yyy");
    }

    @Test
    void neverSplitsASurrogatePair() {
        // 138 chars, then an emoji (two chars) across the cut point.
        String text = "a".repeat(138) + "\uD83D\uDE80" + "tail";

        String cut = StatusText.truncate(text, 140);

        assertThat(cut.length()).isLessThanOrEqualTo(140);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
        assertThat(cut.codePoints().allMatch(Character::isValidCodePoint)).isTrue();
        assertThat(cut).isEqualTo("a".repeat(138) + "…");
    }
}
