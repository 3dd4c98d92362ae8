package io.k0rdent.ops.contracts.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlVersionException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads one untrusted YAML file into a Jackson tree plus a {@link LocationIndex}, without ever
 * constructing arbitrary objects and without letting the file grow in memory beyond its
 * {@link YamlLimits}.
 *
 * <p>Only SnakeYAML Engine's lower levels are used (events and the node graph); the tree is built
 * here, so that aliases are counted as they are followed and a "billion laughs" file is refused
 * after a bounded amount of work instead of being expanded. Scalars follow the YAML 1.2 core schema:
 * {@code yes}, {@code on} and {@code no} stay strings, {@code 1.28} is a number, and tags outside the
 * core schema are refused. Merge keys ({@code <<}), which are not YAML 1.2, are refused too.
 *
 * <p>Thread-safe: every call works on its own state.
 */
public final class SafeYamlReader {

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final YamlLimits limits;
    private final LoadSettings settings;

    /**
     * @param limits the bounds to enforce, not null
     */
    public SafeYamlReader(YamlLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        // The scanner and composer enforce the size and alias limits again behind this class's own
        // checks. Duplicate and recursive keys only matter to the engine's constructor, which is never
        // used (the converter checks both); they are set so that the settings say what is meant.
        this.settings = LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setCodePointLimit(limits.maxBytes())
                .setMaxAliasesForCollections(limits.maxAliasesForCollections())
                .setAllowRecursiveKeys(false)
                .setAllowDuplicateKeys(false)
                .setUseMarks(true)
                .build();
    }

    /** A reader with {@link YamlLimits#defaults()}. */
    public SafeYamlReader() {
        this(YamlLimits.defaults());
    }

    /**
     * Reads a file already decoded to text.
     *
     * @param file the file name to put in problems, not null
     * @param text the file content, not null
     * @return the loaded document, or the problems that prevented loading it; never null
     */
    public YamlDocument read(String file, String text) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        if (exceedsUtf8Length(text, limits.maxBytes())) {
            return YamlDocument.failed(tooLarge(file));
        }
        return load(file, text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    /**
     * Reads a file given as UTF-8 bytes (a leading byte order mark is ignored).
     *
     * @param file  the file name to put in problems, not null
     * @param bytes the file content, not null
     * @return the loaded document, or the problems that prevented loading it; never null
     */
    public YamlDocument read(String file, byte[] bytes) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > limits.maxBytes()) {
            return YamlDocument.failed(tooLarge(file));
        }
        int start = startsWithBom(bytes) ? UTF8_BOM.length : 0;
        // Before decoding: UTF-16 text without a byte order mark is valid UTF-8 full of NUL characters.
        Optional<TextEncoding.Problem> encoding = TextEncoding.check(bytes);
        if (encoding.isPresent()) {
            return YamlDocument.failed(new ValidationProblem(file, encoding.get().line(), encoding.get().column(),
                    JsonPaths.ROOT, Rule.ENCODING, encoding.get().message()));
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer text;
        try {
            text = decoder.decode(ByteBuffer.wrap(bytes, start, bytes.length - start));
        } catch (CharacterCodingException e) {
            return YamlDocument.failed(new ValidationProblem(file, 0, 0, JsonPaths.ROOT, Rule.ENCODING,
                    "file is not valid UTF-8 text"));
        }
        return load(file, text.toString());
    }

    /**
     * Reads a file from a stream of UTF-8 bytes, reading at most one byte more than the size limit.
     * The stream is not closed.
     *
     * @param file the file name to put in problems, not null
     * @param in   the file content, not null
     * @return the loaded document, or the problems that prevented loading it; never null
     * @throws IOException when the stream cannot be read
     */
    public YamlDocument read(String file, InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        return read(file, in.readNBytes(limits.maxBytes() + 1));
    }

    private YamlDocument load(String file, String text) {
        try {
            // Parsed twice on purpose: the flat event stream is screened before the composer, which
            // recurses per nesting level and holds the whole graph, is allowed near the text.
            Optional<ValidationProblem> refused = new YamlEventScreen(file, limits)
                    .screen(new Parse(settings).parseString(text));
            if (refused.isPresent()) {
                return YamlDocument.failed(refused.get());
            }
            Optional<Node> root = new Compose(settings).composeString(text);
            if (root.isEmpty()) {
                return YamlDocument.failed(new ValidationProblem(file, 0, 0, JsonPaths.ROOT, Rule.EMPTY_DOCUMENT,
                        "file is empty: expected one YAML document"));
            }
            return new YamlTreeConverter(file, limits).convert(root.get());
        } catch (YamlEngineException e) {
            return YamlDocument.failed(toProblem(file, text, e));
        }
    }

    private ValidationProblem toProblem(String file, String text, YamlEngineException e) {
        if (e instanceof MarkedYamlEngineException marked) {
            Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
            // Only the short problem and context phrases: getMessage() appends a snippet of the file,
            // which could quote a secret into a log.
            String message = marked.getProblem() == null ? "invalid YAML" : marked.getProblem().strip();
            if (marked.getContext() != null && !marked.getContext().isBlank()) {
                message = message + " (" + marked.getContext().strip() + ")";
            }
            ValidationProblem at = problemAt(file, mark, Rule.YAML_SYNTAX, message);
            String enclosing = EnclosingPath.of(text, settings);
            return new ValidationProblem(at.file(), at.line(), at.column(), enclosing, at.rule(), at.message());
        }
        if (e instanceof ReaderException reader) {
            SourceLocation at = locationOfCodePoint(text, reader.getPosition());
            return new ValidationProblem(file, at.line(), at.column(), JsonPaths.ROOT, Rule.YAML_SYNTAX,
                    String.format("character U+%04X is not allowed in YAML", reader.getCodePoint()));
        }
        if (e instanceof YamlVersionException version) {
            return new ValidationProblem(file, 0, 0, JsonPaths.ROOT, Rule.YAML_SYNTAX,
                    "unsupported YAML version " + version.getSpecVersion().getRepresentation() + "; use YAML 1.2");
        }
        // The engine raises unmarked exceptions only for its own limits (size, aliases).
        return new ValidationProblem(file, 0, 0, JsonPaths.ROOT, Rule.YAML_LIMITS, e.getMessage());
    }

    static ValidationProblem problemAt(String file, Optional<Mark> mark, Rule rule, String message) {
        SourceLocation at = mark.map(SafeYamlReader::location).orElse(SourceLocation.WHOLE_FILE);
        return new ValidationProblem(file, at.line(), at.column(), JsonPaths.ROOT, rule, message);
    }

    /** SnakeYAML marks are 0-based; problems are 1-based. */
    static SourceLocation location(Mark mark) {
        return new SourceLocation(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static SourceLocation locationOfCodePoint(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int seen = 0;
        for (int i = 0; i < text.length() && seen < codePointIndex; i += Character.charCount(text.codePointAt(i)), seen++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourceLocation(line, column);
    }

    private ValidationProblem tooLarge(String file) {
        return new ValidationProblem(file, 0, 0, JsonPaths.ROOT, Rule.FILE_TOO_LARGE,
                "file is larger than " + describeBytes(limits.maxBytes()) + ", the limit for a cluster definition");
    }

    private static String describeBytes(int bytes) {
        return bytes % 1024 == 0 ? (bytes / 1024) + " KiB" : bytes + " bytes";
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == UTF8_BOM[0] && bytes[1] == UTF8_BOM[1] && bytes[2] == UTF8_BOM[2];
    }

    /** Counts UTF-8 bytes without encoding, stopping as soon as the limit is passed. */
    private static boolean exceedsUtf8Length(String text, int limit) {
        if (text.length() > limit) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
            if (bytes > limit) {
                return true;
            }
        }
        return false;
    }
}
