package io.k0rdent.ops.contracts.event;

import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.util.List;

/**
 * A change in Git was not accepted. The cluster's last valid definition stays in force and nothing
 * downstream acts on this event except notifications.
 *
 * <p>{@code header.clusterName} is the name found in the file when one could be read, otherwise
 * the file path (a file that does not parse has no name). {@code header.generation} is the generation still
 * in force, or 0 when the cluster was never accepted.
 *
 * @param problems every problem found, each with file, line, column, JSON path, rule and message
 */
public record ClusterDefinitionRejected(EventHeader header, GitSource git, List<ValidationProblem> problems)
        implements ClusterEvent {

    public ClusterDefinitionRejected {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
