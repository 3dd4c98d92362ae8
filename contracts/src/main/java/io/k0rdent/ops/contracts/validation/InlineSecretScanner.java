package io.k0rdent.ops.contracts.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds credentials pasted into a definition: anything committed to Git must be assumed leaked, so
 * a file carrying one is rejected wherever the value sits (labels and annotations included), and it
 * is reported without ever repeating the value.
 *
 * <p>Two kinds of evidence are used: the shape of well-known token formats, found in any string
 * value or key, and the name of the field ({@code password}, {@code apiKey}, {@code token}, ...)
 * holding a non-empty value.
 */
final class InlineSecretScanner {

    /** One secret found. */
    record Finding(String path, SourceLocation location, String message, String secret) {
    }

    static final String ADVICE = "never commit credentials: remove it, rotate it, and reference it by name instead";

    /** Token formats with a fixed, recognisable shape, in the order they are tried. */
    static final List<Map.Entry<String, Pattern>> TOKEN_SHAPES = List.of(
            Map.entry("a PEM private key", Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")),
            Map.entry("an AWS access key id", Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
            Map.entry("a GitHub token", Pattern.compile(
                    "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})")),
            Map.entry("a GitLab personal access token", Pattern.compile("(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}")),
            Map.entry("a Slack token", Pattern.compile("(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}")),
            Map.entry("a Slack webhook URL", Pattern.compile("https?://hooks\\.slack\\.com/\\S+")));

    static final String AWS_SECRET = "an AWS secret access key";
    // 40 characters of the base64 alphabet, not part of a longer such run.
    static final Pattern AWS_SECRET_SHAPE = Pattern.compile("(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");

    /** Endings of normalised field names that say the value is a credential. */
    private static final List<String> SECRET_NAME_ENDINGS = List.of(
            "password", "passwd", "passphrase", "secret", "secretkey", "token", "apikey", "accesskey",
            "privatekey", "credential", "credentials");

    List<Finding> scan(JsonNode root, LocationIndex locations) {
        List<Finding> findings = new ArrayList<>();
        scan(root, JsonPaths.ROOT, null, locations, findings);
        return findings;
    }

    private void scan(JsonNode node, String path, String fieldName, LocationIndex locations, List<Finding> findings) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String childPath = JsonPaths.child(path, field.getKey());
                shapeOf(field.getKey()).ifPresent(kind -> findings.add(new Finding(
                        // The key's own path would spell the secret out, so the problem names the mapping.
                        path, locations.findKey(childPath).orElse(SourceLocation.WHOLE_FILE),
                        "a key in this mapping looks like " + kind + "; " + ADVICE, field.getKey())));
                scan(field.getValue(), childPath, field.getKey(), locations, findings);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scan(node.get(i), JsonPaths.index(path, i), fieldName, locations, findings);
            }
        } else if (node.isTextual() || node.isNumber()) {
            valueFinding(node.asText(), fieldName).ifPresent(message -> findings.add(new Finding(
                    path, locations.find(path).orElse(SourceLocation.WHOLE_FILE), message, node.asText())));
        }
    }

    private static Optional<String> valueFinding(String value, String fieldName) {
        Optional<String> shape = shapeOf(value);
        if (shape.isEmpty() && (isAwsSecretName(fieldName) || isStandaloneAwsSecret(value))
                && AWS_SECRET_SHAPE.matcher(value).find()) {
            shape = Optional.of(AWS_SECRET);
        }
        if (shape.isPresent()) {
            return Optional.of("looks like " + shape.get() + "; " + ADVICE);
        }
        if (isSecretName(fieldName) && !value.isBlank()) {
            return Optional.of("'" + fieldName + "' holds an inline secret; " + ADVICE);
        }
        return Optional.empty();
    }

    static Optional<String> shapeOf(String text) {
        return TOKEN_SHAPES.stream()
                .filter(shape -> shape.getValue().matcher(text).find())
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private static boolean isSecretName(String fieldName) {
        String name = normalise(fieldName);
        return !name.isEmpty() && SECRET_NAME_ENDINGS.stream().anyMatch(name::endsWith);
    }

    private static boolean isAwsSecretName(String fieldName) {
        String name = normalise(fieldName);
        return name.contains("aws") || name.contains("secret");
    }

    /**
     * A lone 40-character value is only taken for an AWS secret key when it looks random: mixed
     * case with digits, high entropy, and either '/' or '+' or several digits. Git commit ids (hex),
     * camel-case words and paths of this length do not pass.
     */
    static boolean isStandaloneAwsSecret(String value) {
        String text = value.strip();
        if (text.length() != 40 || !AWS_SECRET_SHAPE.matcher(text).matches()) {
            return false;
        }
        long digits = text.chars().filter(Character::isDigit).count();
        boolean mixedCase = text.chars().anyMatch(Character::isUpperCase) && text.chars().anyMatch(Character::isLowerCase);
        boolean symbolOrDigits = text.indexOf('/') >= 0 || text.indexOf('+') >= 0 || digits >= 3;
        return mixedCase && digits >= 1 && symbolOrDigits && shannonEntropy(text) >= 4.3;
    }

    /** Bits per character; random base64 of this length scores about 4.8, English-like identifiers about 4. */
    private static double shannonEntropy(String text) {
        int[] counts = new int[128];
        text.chars().forEach(c -> counts[c]++);
        double entropy = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / text.length();
                entropy -= p * (Math.log(p) / Math.log(2));
            }
        }
        return entropy;
    }

    /** {@code k0rdent.io/DB_Password} becomes {@code dbpassword}: only the last segment, letters and digits. */
    private static String normalise(String fieldName) {
        if (fieldName == null) {
            return "";
        }
        String last = fieldName.substring(fieldName.lastIndexOf('/') + 1);
        return last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
