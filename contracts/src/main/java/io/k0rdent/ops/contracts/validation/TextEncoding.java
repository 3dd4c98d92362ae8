package io.k0rdent.ops.contracts.validation;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Why bytes are not UTF-8 text, in terms a person can act on: a file saved as UTF-16 or UTF-32 (recognised by its
 * byte order mark, or by the zero bytes that ASCII text has in those encodings) is named as such, and any other bad
 * byte is pointed at by line and column.
 */
final class TextEncoding {

    /** Why the bytes are not UTF-8, and where; empty when they are. */
    record Problem(int line, int column, String message) {
    }

    private TextEncoding() {
    }

    static Optional<Problem> check(byte[] bytes) {
        Optional<String> other = otherUnicodeEncoding(bytes);
        if (other.isPresent()) {
            return Optional.of(new Problem(0, 0, "file is " + other.get() + " text: save it as UTF-8"));
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            return Optional.empty();
        }
        int bad = in.position();
        // Line and column of the bad byte: count the good text before it (columns in code points, as elsewhere).
        String before = new String(bytes, 0, bad, StandardCharsets.UTF_8);
        int lineStart = before.lastIndexOf('\n') + 1;
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = before.codePointCount(lineStart, before.length()) + 1;
        return Optional.of(new Problem(line, column, String.format("file is not valid UTF-8 text: byte 0x%02X at line "
                + "%d, column %d does not start a valid UTF-8 sequence", bytes[bad] & 0xFF, line, column)));
    }

    private static Optional<String> otherUnicodeEncoding(byte[] b) {
        if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF)) {
            return Optional.of("UTF-32 (big-endian)");
        }
        if (startsWith(b, 0xFF, 0xFE, 0x00, 0x00)) {
            return Optional.of("UTF-32 (little-endian)");
        }
        if (startsWith(b, 0xFE, 0xFF)) {
            return Optional.of("UTF-16 (big-endian)");
        }
        if (startsWith(b, 0xFF, 0xFE)) {
            return Optional.of("UTF-16 (little-endian)");
        }
        // Without a mark: YAML starts with ASCII, which UTF-16 pads with one zero byte and UTF-32 with three.
        if (b.length >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
            return Optional.of("UTF-32 (little-endian)");
        }
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0) {
            return Optional.of("UTF-32 (big-endian)");
        }
        if (b.length >= 2 && b[0] != 0 && b[1] == 0) {
            return Optional.of("UTF-16 (little-endian)");
        }
        if (b.length >= 2 && b[0] == 0 && b[1] != 0) {
            return Optional.of("UTF-16 (big-endian)");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
