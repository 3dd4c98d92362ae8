package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.WatchedRepositories;
import io.k0rdent.ops.gitwatcher.WatchedRepository;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accepted definitions and watermarks of every watched branch, held in memory and rebuilt from
 * the state topic on start (and after a failed transaction, whose outcome is then unknown). The
 * topic is the only durable copy: nothing here is written except after a committed transaction.
 */
@Singleton
public class DefinitionStateStore {

    private final StateTopicReader reader;
    private final WatchedRepositories repositories;
    private final StateRecords records = new StateRecords();
    private final Map<WatchKey, BranchState> states = new ConcurrentHashMap<>();

    public DefinitionStateStore(StateTopicReader reader, WatchedRepositories repositories) {
        this.reader = reader;
        this.repositories = repositories;
    }

    /** Reloads the state of one branch from the topic; until it succeeds, the branch has no state. */
    public BranchState reload(WatchKey key) {
        states.remove(key);
        Map<WatchKey, BranchState> fresh = new HashMap<>();
        fresh.put(key, new BranchState());
        reader.readAll((recordKey, value) -> records.apply(fresh, recordKey, value));
        states.put(key, fresh.get(key));
        return fresh.get(key);
    }

    /** Reads the state of every watched branch in one pass over the topic. */
    public void loadAll() {
        Map<WatchKey, BranchState> fresh = new HashMap<>();
        for (WatchedRepository r : repositories.all()) {
            fresh.put(r.key(), new BranchState());
        }
        reader.readAll((recordKey, value) -> records.apply(fresh, recordKey, value));
        states.putAll(fresh);
    }

    /** The loaded state of a branch, or empty when it still has to be (re)loaded. */
    public Optional<BranchState> get(WatchKey key) {
        return Optional.ofNullable(states.get(key));
    }

    /** Forgets a branch's state so the next sync reloads it from the topic. */
    public void invalidate(WatchKey key) {
        states.remove(key);
    }

    public StateRecords records() {
        return records;
    }
}
