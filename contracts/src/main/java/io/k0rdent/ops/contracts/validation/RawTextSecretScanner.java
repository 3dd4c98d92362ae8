package io.k0rdent.ops.contracts.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for credentials in a definition's raw text, line by line, so that what the YAML tree does not hold is
 * covered too: comments, and the text of a file that does not even parse. A comment is committed to Git like any
 * value. Only shapes that stand on their own are used (token formats, and 40-character AWS secret keys that look
 * random or sit on a line that says {@code aws} or {@code secret}); field names are the tree scan's job.
 */
final class RawTextSecretScanner {

    /** One secret found: where it starts, and what it looks like (never the value). */
    record Finding(SourceLocation location, String kind) {
    }

    List<Finding> scan(String text) {
        List<Finding> findings = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            for (Map.Entry<String, Pattern> shape : InlineSecretScanner.TOKEN_SHAPES) {
                Matcher match = shape.getValue().matcher(line);
                while (match.find()) {
                    findings.add(new Finding(at(line, i, match.start()), shape.getKey()));
                }
            }
            String lower = line.toLowerCase(Locale.ROOT);
            boolean namedLine = lower.contains("aws") || lower.contains("secret");
            Matcher candidate = InlineSecretScanner.AWS_SECRET_SHAPE.matcher(line);
            while (candidate.find()) {
                String run = candidate.group();
                boolean tokenAlready = InlineSecretScanner.shapeOf(run).isPresent();
                if (!tokenAlready && (namedLine || InlineSecretScanner.isStandaloneAwsSecret(run))) {
                    findings.add(new Finding(at(line, i, candidate.start()), InlineSecretScanner.AWS_SECRET));
                }
            }
        }
        return findings;
    }

    private static SourceLocation at(String line, int index, int charOffset) {
        return new SourceLocation(index + 1, line.codePointCount(0, charOffset) + 1);
    }
}
