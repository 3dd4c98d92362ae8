package io.k0rdent.ops.deploy.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** An IAM policy document, parsed strictly enough that a malformed one fails to load. */
public record IamPolicy(String version, List<IamStatement> statements) {

    public IamPolicy {
        statements = List.copyOf(statements);
    }

    /** @throws IllegalArgumentException when the file is not JSON or not shaped like a policy */
    public static IamPolicy read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file.getFileName() + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.path("Statement").isArray()) {
            throw new IllegalArgumentException(file.getFileName() + " has no Statement array");
        }
        List<IamStatement> statements = new ArrayList<>();
        for (JsonNode statement : root.get("Statement")) {
            Set<String> keys = new TreeSet<>();
            statement.path("Condition").forEach(operator -> operator.fieldNames().forEachRemaining(keys::add));
            statements.add(new IamStatement(
                    statement.path("Sid").asText(null),
                    statement.path("Effect").asText(null),
                    strings(statement.path("Action")),
                    strings(statement.path("Resource")),
                    keys,
                    statement.has("NotAction") || statement.has("NotResource")));
        }
        return new IamPolicy(root.path("Version").asText(null), statements);
    }

    /** IAM allows a single string or a list wherever a list is expected. */
    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else {
            node.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
