package io.k0rdent.ops.rules;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.util.List;
import java.util.Map;

/**
 * What a commit does to one cluster, as decided by {@link CommitRules}. Verdicts come in the order they were
 * decided, which is the order their consequences must be applied in (generations are handed out in it).
 */
public sealed interface Verdict {

    /** The cluster the verdict is about, or for a rejected file without one, the key its rejection is reported under. */
    String name();

    /** The file the verdict is about. */
    String path();

    /** A new cluster. */
    record Create(String name, String path, ClusterDefinition definition) implements Verdict {
    }

    /**
     * A new version of an accepted cluster.
     *
     * @param previousPath the file it came from when it moved, else {@code null}
     * @param changes      the changed fields, by path; never empty
     */
    record Update(String name, String path, String previousPath, ClusterDefinition definition,
                  List<FieldChange> changes) implements Verdict {

        public Update {
            changes = List.copyOf(changes);
        }
    }

    /** An accepted cluster whose file is gone. */
    record Delete(String name, String path, ClusterDefinition lastDefinition) implements Verdict {
    }

    /** An accepted cluster that stays as it is; {@code path} is where its file lives now (it may have moved). */
    record Unchanged(String name, String path) implements Verdict {
    }

    /**
     * A file whose change is refused; the cluster it named, if accepted, keeps its definition.
     *
     * @param accepted the accepted cluster the refused change would have touched, or {@code null}
     * @param labels   the labels to route the rejection with (the new file's, else the accepted cluster's)
     * @param problems the rules broken, each with file, line, column and JSON path
     * @param repeated the file did not change and was rejected before (a standing rejection): not news
     */
    record Rejected(String name, String path, String accepted, Map<String, String> labels,
                    List<ValidationProblem> problems, boolean repeated) implements Verdict {

        public Rejected {
            // Labels as given, in their order: the gitwatcher's events carry them and must be the same bytes.
            labels = labels == null ? Map.of() : labels;
            problems = List.copyOf(problems);
        }
    }
}
