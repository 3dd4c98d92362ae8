package io.k0rdent.ops.k0ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void controlAndInvisibleCharactersAreShownAsEscapesAndColumnsStayAligned() {
        StringWriter out = new StringWriter();
        new Table("CLUSTER", "STAGE")
                .row("dev\u200B-01", "ready")          // zero-width space: looks like dev-01
                .row("evil\u001B[31m", "rejected")     // an ANSI escape would recolour the terminal
                .row("rtl\u202Eabc", "ready")          // a bidirectional override would reverse what follows
                .row("two\nlines", null)
                .print(new PrintWriter(out));

        assertThat(out.toString()).isEqualTo("""
                CLUSTER         STAGE
                dev\\u200B-01    ready
                evil\\u001B[31m  rejected
                rtl\\u202Eabc    ready
                two\\nlines      -
                """);
    }

    @Test
    void ordinaryTextIncludingAccentsAndEmojiIsLeftAlone() {
        assertThat(TerminalText.escape("équipe-🚀 plain")).isEqualTo("équipe-🚀 plain");
    }
}
