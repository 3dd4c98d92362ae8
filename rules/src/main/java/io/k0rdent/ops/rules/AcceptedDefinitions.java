package io.k0rdent.ops.rules;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The accepted definitions of a repository branch, by cluster name and by file: what the rules compare a commit
 * with. The gitwatcher builds it from its state topic, {@code k0ops plan} from the definition events; both hold the
 * same facts.
 */
public final class AcceptedDefinitions {

    private final Map<String, AcceptedDefinition> byName = new HashMap<>();
    private final Map<String, String> nameByPath = new HashMap<>();

    private AcceptedDefinitions() {
    }

    /** The definitions, each at its path; should two name one path, the later one is the one there. */
    public static AcceptedDefinitions of(Collection<AcceptedDefinition> definitions) {
        AcceptedDefinitions accepted = new AcceptedDefinitions();
        for (AcceptedDefinition d : definitions) {
            if (accepted.byName.put(d.name(), d) != null) {
                throw new IllegalArgumentException("cluster " + d.name() + " is accepted twice");
            }
            accepted.nameByPath.put(d.path(), d.name());
        }
        return accepted;
    }

    /**
     * The definitions with an index of files kept by the caller: the gitwatcher's state says which cluster a file
     * holds when a move left two records naming one path, and the rules must read it the same way.
     *
     * @param nameByPath file to the name of the cluster it holds
     */
    public static AcceptedDefinitions of(Collection<AcceptedDefinition> definitions, Map<String, String> nameByPath) {
        AcceptedDefinitions accepted = of(definitions);
        accepted.nameByPath.clear();
        accepted.nameByPath.putAll(nameByPath);
        return accepted;
    }

    public Optional<AcceptedDefinition> cluster(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<AcceptedDefinition> clusterAt(String path) {
        String name = path == null ? null : nameByPath.get(path);
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public Collection<AcceptedDefinition> clusters() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
