package io.k0rdent.ops.contracts.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates one cluster definition file ({@code clusters/*.yaml}) completely: safe YAML loading,
 * the JSON Schema, the semantic rules against a {@link ValidationPolicy}, and a scan for inline
 * secrets. Every problem is collected rather than stopping at the first, so that one push gets one
 * complete report.
 *
 * <p>Repository-wide rules (duplicate names, overlapping CIDRs, immutable fields, deletion
 * protection) need more than one file and belong to the gitwatcher; it can place its own problems
 * with {@link ValidationResult#locations()} and {@link DefinitionPaths}.
 *
 * <p>Instances are immutable and thread-safe; build one per policy and reuse it, since loading the
 * schema is the expensive part.
 */
public final class ClusterDefinitionValidator {

    /**
     * Classpath location of the JSON Schema (draft 2020-12) the validator applies, for tools that
     * want to publish it to editors.
     */
    public static final String SCHEMA_RESOURCE = SchemaCheck.SCHEMA_RESOURCE;

    /** Longest name handed out as {@link ValidationResult#clusterName()}: a DNS subdomain, well past any label. */
    private static final int MAX_REPORTED_NAME_LENGTH = 253;
    private static final String REDACTED = "<redacted>";

    private final ValidationPolicy policy;
    private final SafeYamlReader reader;
    private final SchemaCheck schema;
    private final SemanticRules rules;
    private final InlineSecretScanner secrets = new InlineSecretScanner();
    private final RawTextSecretScanner rawSecrets = new RawTextSecretScanner();
    private final YamlLimits limits;
    private final ObjectMapper mapper;

    /**
     * A validator with the default {@link YamlLimits}.
     *
     * @param policy what the platform allows, not null
     */
    public ClusterDefinitionValidator(ValidationPolicy policy) {
        this(policy, YamlLimits.defaults());
    }

    /**
     * @param policy what the platform allows, not null
     * @param limits the bounds for loading YAML, not null
     */
    public ClusterDefinitionValidator(ValidationPolicy policy, YamlLimits limits) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.reader = new SafeYamlReader(limits);
        this.limits = limits;
        // Unknown fields are the schema's job, reported with their location; binding only reads what it knows.
        this.mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.schema = new SchemaCheck(mapper);
        this.rules = new SemanticRules(policy);
    }

    /** The policy this validator applies. */
    public ValidationPolicy policy() {
        return policy;
    }

    /**
     * Validates a definition given as text.
     *
     * @param file     the repository-relative file name to put in problems, not null
     * @param yamlText the file content, not null
     * @return all problems, and the definition when there are none; never null
     */
    public ValidationResult validate(String file, String yamlText) {
        return withSecretsInText(validate(file, reader.read(file, yamlText)), yamlText);
    }

    /**
     * Validates a definition given as UTF-8 bytes, as read from a Git blob.
     *
     * @param file the repository-relative file name to put in problems, not null
     * @param yaml the file content, not null
     * @return all problems, and the definition when there are none; never null
     */
    public ValidationResult validate(String file, byte[] yaml) {
        // Secrets are ASCII: a lenient decoding finds them even in a file that is not valid UTF-8.
        return withSecretsInText(validate(file, reader.read(file, yaml)),
                new String(yaml, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Validates a definition read from a stream of UTF-8 bytes; reads no more than the size limit
     * allows and does not close the stream.
     *
     * @param file the repository-relative file name to put in problems, not null
     * @param yaml the file content, not null
     * @return all problems, and the definition when there are none; never null
     * @throws IOException when the stream cannot be read
     */
    public ValidationResult validate(String file, InputStream yaml) throws IOException {
        return validate(file, yaml.readNBytes(limits.maxBytes() + 1));
    }

    /**
     * Adds the secrets that only the raw text shows (comments, an unparsable file) to what the tree scan found:
     * one {@link Rule#INLINE_SECRET} problem per line not already reported, at the secret's line and column,
     * never with its value. Any of them rejects the file.
     */
    private ValidationResult withSecretsInText(ValidationResult result, String text) {
        Set<Integer> reported = result.problems().stream().filter(p -> p.rule() == Rule.INLINE_SECRET)
                .map(ValidationProblem::line).collect(Collectors.toSet());
        List<ValidationProblem> added = new ArrayList<>();
        for (RawTextSecretScanner.Finding f : rawSecrets.scan(text)) {
            if (reported.add(f.location().line())) {
                added.add(new ValidationProblem(result.file(), f.location().line(), f.location().column(),
                        JsonPaths.ROOT, Rule.INLINE_SECRET, "line " + f.location().line() + " holds something that "
                        + "looks like " + f.kind() + " (comments are committed too); " + InlineSecretScanner.ADVICE));
            }
        }
        if (added.isEmpty()) {
            return result;
        }
        List<ValidationProblem> all = new ArrayList<>(result.problems());
        all.addAll(added);
        return new ValidationResult(result.file(), sorted(all), null, result.clusterName(), result.locations());
    }

    private ValidationResult validate(String file, YamlDocument document) {
        JsonNode root = document.root();
        if (root == null) {
            return new ValidationResult(file, sorted(document.problems()), null, null, LocationIndex.empty());
        }
        ProblemCollector problems = new ProblemCollector(file, document.locations());
        // Secrets are looked for even in a file with YAML problems: whatever else is wrong, a leaked
        // credential has to be reported.
        List<InlineSecretScanner.Finding> found = secrets.scan(root, document.locations());
        found.forEach(f -> problems.add(f.path(), f.location(), Rule.INLINE_SECRET, f.message()));
        Set<String> secretPaths = found.stream().map(InlineSecretScanner.Finding::path).collect(Collectors.toSet());
        if (document.loaded()) {
            schema.check(root, document.locations(), problems);
            rules.check(root, secretPaths, problems);
        }

        List<ValidationProblem> all = new ArrayList<>(document.problems());
        all.addAll(problems.problems());
        all = redact(all, found);
        ClusterDefinition definition = null;
        if (all.isEmpty()) {
            try {
                definition = mapper.treeToValue(root, ClusterDefinition.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // Unreachable for documents the schema accepted; kept so a gap between schema and
                // records surfaces as a problem instead of an exception in the gitwatcher.
                all.add(bindingProblem(file, document.locations(), e));
            }
        }
        return new ValidationResult(file, sorted(all), definition, clusterName(root, found), document.locations());
    }

    /**
     * Last line of defence for "never echo a secret": rules skip fields holding one, but a secret in
     * a key can still surface in another rule's path or message (an unknown field named like a
     * token, a duplicate key). Inline-secret problems are built never to contain the value.
     */
    private static List<ValidationProblem> redact(List<ValidationProblem> problems, List<InlineSecretScanner.Finding> found) {
        if (found.isEmpty()) {
            return problems;
        }
        List<ValidationProblem> redacted = new ArrayList<>(problems.size());
        for (ValidationProblem p : problems) {
            String path = p.path();
            String message = p.message();
            if (p.rule() != Rule.INLINE_SECRET) {
                for (InlineSecretScanner.Finding f : found) {
                    if (!f.secret().isEmpty()) {
                        path = path.replace(f.secret(), REDACTED);
                        message = message.replace(f.secret(), REDACTED);
                    }
                }
            }
            redacted.add(path.equals(p.path()) && message.equals(p.message())
                    ? p
                    : new ValidationProblem(p.file(), p.line(), p.column(), path, p.rule(), message));
        }
        return redacted;
    }

    private static String clusterName(JsonNode root, List<InlineSecretScanner.Finding> found) {
        JsonNode name = root.path("metadata").path("name");
        if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_REPORTED_NAME_LENGTH) {
            return null;
        }
        boolean secret = found.stream().anyMatch(f -> f.path().equals(DefinitionPaths.NAME) || f.secret().equals(name.asText()));
        return secret ? null : name.asText();
    }

    private static ValidationProblem bindingProblem(String file, LocationIndex locations, Exception e) {
        String path = JsonPaths.ROOT;
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                path = ref.getFieldName() != null ? JsonPaths.child(path, ref.getFieldName()) : JsonPaths.index(path, ref.getIndex());
            }
        }
        SourceLocation at = locations.find(path).orElse(SourceLocation.WHOLE_FILE);
        return new ValidationProblem(file, at.line(), at.column(), path, Rule.SCHEMA,
                "cannot be read into a cluster definition");
    }

    private static List<ValidationProblem> sorted(List<ValidationProblem> problems) {
        // A stable sort: problems on one spot keep their order (YAML, secret, schema, semantic).
        return problems.stream()
                .sorted(Comparator.comparingInt(ValidationProblem::line).thenComparingInt(ValidationProblem::column))
                .collect(Collectors.toList());
    }
}
