package io.k0rdent.ops.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class SafeYamlReaderTest {

    private static final String FILE = "clusters/x.yaml";
    private static final String TOO_LARGE = "file is larger than 256 KiB, the limit for a cluster definition";

    private final SafeYamlReader reader = new SafeYamlReader();

    @Test
    void billionLaughsIsRefusedAtTheFirstAliasOverTheLimit() {
        YamlDocument document = reader.read(FILE, TestDefinitions.text("billion-laughs.yaml"));

        // Line 8 holds aliases 1 to 10; the first alias on line 9 is one too many.
        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 9, 12, "$", Rule.YAML_ALIAS_BOMB,
                "more than 10 aliases to mappings or sequences; the file is refused because such aliases are how YAML"
                        + " bombs expand"));
        assertThat(document.root()).isNull();
    }

    @Test
    void bombWithinTheAliasLimitIsStoppedByTheNodeCapWithoutExpanding() {
        // Ten aliases doubling five times: 32 copies of a 400-element list, about 13,000 nodes.
        String list = IntStream.range(0, 400).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String yaml = "a: &a [" + list + "]\n"
                + "b: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: &e [*d, *d]\nf: [*e, *e]\n";

        YamlDocument document = reader.read(FILE, yaml);

        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 0, 0, "$", Rule.YAML_ALIAS_BOMB,
                "document has more than 10000 nodes once aliases are followed; it is refused without being expanded"));
        assertThat(document.root()).isNull();
    }

    @Test
    void nodeCapIsConfigurable() {
        SafeYamlReader small = new SafeYamlReader(new YamlLimits(1024, 10, 32, 5));

        YamlDocument document = small.read(FILE, "a: [1, 2, 3, 4, 5]\n");

        assertThat(document.problems()).extracting(ValidationProblem::message)
                .containsExactly("document has more than 5 nodes once aliases are followed; it is refused without being expanded");
    }

    @Test
    void deepNestingIsRefusedBeforeComposing() {
        YamlDocument document = reader.read(FILE, "a: " + "[".repeat(100) + "]".repeat(100) + "\n");

        // The root mapping is level 1, so the 32nd bracket opens level 33.
        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 1, 35, "$", Rule.YAML_NESTING_DEPTH,
                "mappings and sequences are nested deeper than 32 levels"));
    }

    @Test
    void nestingFarBeyondTheStackIsRefusedToo() {
        int depth = 200_000;

        YamlDocument document = reader.read(FILE, "[".repeat(depth) + "]".repeat(depth));

        // 400 KB of brackets: the size limit, checked before any parsing, refuses it (and so no stack is used).
        assertThat(document.problems()).extracting(ValidationProblem::rule).containsExactly(Rule.FILE_TOO_LARGE);
    }

    @Test
    void nestingThroughAliasesCountsToo() {
        SafeYamlReader shallow = new SafeYamlReader(new YamlLimits(1024, 10, 5, 1000));

        YamlDocument document = shallow.read(FILE, "a: &x [[[1]]]\nb: [[*x]]\n");

        assertThat(document.problems()).extracting(ValidationProblem::rule, ValidationProblem::message).containsExactly(
                Tuple.tuple(Rule.YAML_NESTING_DEPTH,
                        "mappings and sequences are nested deeper than 5 levels once aliases are followed"));
    }

    @Test
    void aliasToItsOwnAncestorIsRefused() {
        YamlDocument document = reader.read(FILE, "a: &loop [1, *loop]\n");

        // In the composed graph an alias is the anchored node itself, so the location is the anchor's.
        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 1, 4, "$.a[1]", Rule.YAML_ALIAS_BOMB,
                "an alias refers to a mapping or sequence that contains it; recursive structures are not allowed"));
    }

    @Test
    void oversizeTextBytesAndStreamsAreRefusedUnread() throws IOException {
        String big = "# " + "x".repeat(YamlLimits.DEFAULT_MAX_BYTES) + "\n";
        byte[] bigBytes = big.getBytes(StandardCharsets.UTF_8);

        assertThat(reader.read(FILE, big).problems())
                .containsExactly(new ValidationProblem(FILE, 0, 0, "$", Rule.FILE_TOO_LARGE, TOO_LARGE));
        assertThat(reader.read(FILE, bigBytes).problems()).extracting(ValidationProblem::message).containsExactly(TOO_LARGE);
        assertThat(reader.read(FILE, new ByteArrayInputStream(bigBytes)).problems())
                .extracting(ValidationProblem::message).containsExactly(TOO_LARGE);
    }

    @Test
    void sizeLimitCountsUtf8BytesNotCharacters() {
        // 100,000 three-byte characters: under the limit in characters, over it in bytes.
        String text = "a: \"" + "€".repeat(100_000) + "\"\n";

        assertThat(reader.read(FILE, text).problems()).extracting(ValidationProblem::message).containsExactly(TOO_LARGE);
    }

    @Test
    void syntaxErrorIsReportedWhereTheParserFoundIt() {
        String yaml = "metadata:\n  name: dev\n  labels: {team: a\nspec: {}\n";

        YamlDocument document = reader.read(FILE, yaml);

        // The path of the mapping the parser was in: a syntax error has no node of its own.
        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 4, 5, "$.metadata.labels",
                Rule.YAML_SYNTAX, "expected ',' or '}', but got : (while parsing a flow mapping)"));
        assertThat(document.root()).isNull();
    }

    @Test
    void tabIndentationIsASyntaxError() {
        YamlDocument document = reader.read(FILE, "metadata:\n\tname: dev\n");

        assertThat(document.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.rule()).isEqualTo(Rule.YAML_SYNTAX);
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.column()).isEqualTo(1);
        });
    }

    @Test
    void fileMustHoldExactlyOneDocument() {
        YamlDocument document = reader.read(FILE, TestDefinitions.text("two-documents.yaml"));

        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 5, 1, "$", Rule.SINGLE_DOCUMENT,
                "a cluster definition file must hold exactly one YAML document; a second one starts here"));
    }

    @Test
    void explicitDocumentMarkersAroundOneDocumentAreFine() {
        YamlDocument document = reader.read(FILE, "---\na: 1\n...\n");

        assertThat(document.loaded()).isTrue();
        assertThat(document.root().path("a").intValue()).isEqualTo(1);
    }

    @Test
    void emptyFileHasNoDocument() {
        assertThat(reader.read(FILE, "").problems()).containsExactly(new ValidationProblem(FILE, 0, 0, "$",
                Rule.EMPTY_DOCUMENT, "file is empty: expected one YAML document"));
        assertThat(reader.read(FILE, "# only a comment\n").problems()).extracting(ValidationProblem::message)
                .containsExactly("file is empty: expected one YAML document");
    }

    @Test
    void duplicateKeysAreReportedAtTheSecondOccurrence() {
        YamlDocument document = reader.read(FILE, "spec:\n  region: us-east-1\n  ssh: {}\n  region: eu-west-1\n");

        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 4, 3, "$.spec.region",
                Rule.YAML_DUPLICATE_KEY, "duplicate key 'region' (first defined on line 2)"));
        // The first value is kept, for best-effort reads such as the cluster name.
        assertThat(document.root().path("spec").path("region").asText()).isEqualTo("us-east-1");
        assertThat(document.locations().find("$.spec.region")).contains(new SourceLocation(2, 11));
        assertThat(document.loaded()).isFalse();
    }

    @Test
    void scalarsFollowTheYaml12CoreSchema() {
        String yaml = """
                yes: yes
                on: on
                off: Off
                version: 1.28
                quoted: "1.28"
                octal: 0o17
                hex: 0x1F
                decimal: 012
                big: 123456789012345678901234567890
                bool: True
                nothing: ~
                empty:
                date: 2024-01-01
                underscored: 1_000
                infinity: -.inf
                """;

        JsonNode root = reader.read(FILE, yaml).root();

        assertThat(root.path("yes").isTextual()).isTrue();
        assertThat(root.path("on").asText()).isEqualTo("on");
        assertThat(root.path("off").asText()).isEqualTo("Off");
        assertThat(root.path("version").isDouble()).isTrue();
        assertThat(root.path("version").doubleValue()).isEqualTo(1.28);
        assertThat(root.path("quoted").asText()).isEqualTo("1.28");
        assertThat(root.path("octal").intValue()).isEqualTo(15);
        assertThat(root.path("hex").intValue()).isEqualTo(31);
        assertThat(root.path("decimal").intValue()).isEqualTo(12);
        assertThat(root.path("big").isBigInteger()).isTrue();
        assertThat(root.path("bool").booleanValue()).isTrue();
        assertThat(root.path("nothing").isNull()).isTrue();
        assertThat(root.path("empty").isNull()).isTrue();
        assertThat(root.path("date").asText()).isEqualTo("2024-01-01");
        assertThat(root.path("underscored").asText()).isEqualTo("1_000");
        assertThat(root.path("infinity").doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void tagsBeyondTheCoreSchemaAreRefused() {
        YamlDocument document = reader.read(FILE, "a: !secret value\nb: !!binary aGVsbG8=\nc: !!str 12\nd: !!int twelve\n");

        assertThat(document.problems()).containsExactly(
                new ValidationProblem(FILE, 1, 4, "$.a", Rule.YAML_SYNTAX,
                        "tag !secret is not supported; use plain YAML 1.2 values"),
                new ValidationProblem(FILE, 2, 4, "$.b", Rule.YAML_SYNTAX,
                        "tag !!binary is not supported; use plain YAML 1.2 values"),
                new ValidationProblem(FILE, 4, 4, "$.d", Rule.YAML_SYNTAX, "value does not match its tag !!int"));
        assertThat(document.root().path("c").asText()).isEqualTo("12");
    }

    @Test
    void tagsOnKeysAreRefusedToo() {
        YamlDocument document = reader.read(FILE, "!secret a: 1\nb: 2\n");

        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 1, 1, "$", Rule.YAML_SYNTAX,
                "tag !secret is not supported; use plain YAML 1.2 values"));
        assertThat(document.root().has("a")).isFalse();
    }

    @Test
    void mergeKeysAreNotYaml12() {
        YamlDocument document = reader.read(FILE, "base: &base {count: 1}\npool:\n  <<: *base\n  size: <<\n");

        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 3, 3, "$", Rule.YAML_SYNTAX,
                "merge keys (<<) are not part of YAML 1.2; write the fields out"));
    }

    @Test
    void lessThanLessThanAsAValueIsJustText() {
        YamlDocument document = reader.read(FILE, "size: <<\nlist: [<<]\n");

        assertThat(document.loaded()).isTrue();
        assertThat(document.root().path("size").asText()).isEqualTo("<<");
        assertThat(document.root().path("list").get(0).asText()).isEqualTo("<<");
    }

    @Test
    void complexKeysAreRefused() {
        YamlDocument document = reader.read(FILE, "? [a, b]\n: c\n");

        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 1, 3, "$", Rule.YAML_SYNTAX,
                "mapping keys must be plain scalars, not mappings or sequences"));
    }

    @Test
    void undefinedAliasIsASyntaxError() {
        YamlDocument document = reader.read(FILE, "a: 1\nb: *nowhere\n");

        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 2, 4, "$", Rule.YAML_SYNTAX,
                "found undefined alias nowhere"));
    }

    @Test
    void controlCharactersAreRefusedWhereTheyAre() {
        YamlDocument document = reader.read(FILE, "a: 1\nb: x\u0007y\n");

        assertThat(document.problems()).containsExactly(new ValidationProblem(FILE, 2, 5, "$", Rule.YAML_SYNTAX,
                "character U+0007 is not allowed in YAML"));
    }

    @Test
    void onlyYaml1IsAccepted() {
        YamlDocument document = reader.read(FILE, "%YAML 2.0\n---\na: 1\n");

        assertThat(document.problems()).extracting(ValidationProblem::rule).containsExactly(Rule.YAML_SYNTAX);
    }

    @Test
    void invalidUtf8IsRefusedAtTheLineAndColumnOfTheBadByte() {
        byte[] bytes = {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xC3, (byte) 0x28,
                '\n'};

        assertThat(reader.read(FILE, bytes).problems()).containsExactly(new ValidationProblem(FILE, 2, 6, "$",
                Rule.ENCODING, "file is not valid UTF-8 text: byte 0xC3 at line 2, column 6 does not start a valid "
                + "UTF-8 sequence"));
    }

    @Test
    void utf16AndUtf32FilesAreNamedAsSuchWithTheFix() {
        String yaml = "a: 1\n";
        byte[] utf16le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, yaml.getBytes(StandardCharsets.UTF_16LE));
        byte[] utf16be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, yaml.getBytes(StandardCharsets.UTF_16BE));
        byte[] utf16NoMark = yaml.getBytes(StandardCharsets.UTF_16LE);
        byte[] utf32le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0},
                yaml.getBytes(java.nio.charset.Charset.forName("UTF-32LE")));

        assertThat(reader.read(FILE, utf16le).problems()).singleElement().satisfies(p ->
                assertThat(p.message()).isEqualTo("file is UTF-16 (little-endian) text: save it as UTF-8"));
        assertThat(reader.read(FILE, utf16be).problems()).singleElement().satisfies(p ->
                assertThat(p.message()).isEqualTo("file is UTF-16 (big-endian) text: save it as UTF-8"));
        assertThat(reader.read(FILE, utf16NoMark).problems()).singleElement().satisfies(p ->
                assertThat(p.message()).isEqualTo("file is UTF-16 (little-endian) text: save it as UTF-8"));
        assertThat(reader.read(FILE, utf32le).problems()).singleElement().satisfies(p ->
                assertThat(p.message()).isEqualTo("file is UTF-32 (little-endian) text: save it as UTF-8"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void byteOrderMarkIsIgnored() {
        byte[] bytes = "\uFEFFa: 1\n".getBytes(StandardCharsets.UTF_8);

        YamlDocument document = reader.read(FILE, bytes);

        assertThat(document.loaded()).isTrue();
        assertThat(document.locations().find("$.a")).contains(new SourceLocation(1, 4));
    }

    @Test
    void locationsUseBracketsForKeysThatAreNotIdentifiers() {
        YamlDocument document = reader.read(FILE, "labels:\n  app.kubernetes.io/name: web\n  list:\n    - x\n    - {y: 1}\n");
        LocationIndex locations = document.locations();

        assertThat(locations.find("$.labels['app.kubernetes.io/name']")).contains(new SourceLocation(2, 27));
        assertThat(locations.findKey("$.labels['app.kubernetes.io/name']")).contains(new SourceLocation(2, 3));
        assertThat(locations.find("$.labels.list")).contains(new SourceLocation(3, 3));
        assertThat(locations.find("$.labels.list[0]")).contains(new SourceLocation(4, 7));
        assertThat(locations.find("$.labels.list[1].y")).contains(new SourceLocation(5, 11));
        assertThat(locations.findKey("$.labels.list[1]")).contains(new SourceLocation(5, 7));
    }
}
