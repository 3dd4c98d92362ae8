package io.k0rdent.ops.sandbox.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every call the emulator received, in order of arrival. Thread-safe; tests read it to check what a client did. */
public final class AuditLog {

    private final List<AuditEntry> entries = new ArrayList<>();

    /** Records a call; the sequence number is its position in the log. */
    synchronized AuditEntry record(Instant at, String action, Map<String, String> params,
                                   int httpStatus, String errorCode, List<String> createdIds) {
        AuditEntry entry = new AuditEntry(entries.size() + 1L, at, action, params, httpStatus, errorCode, createdIds);
        entries.add(entry);
        return entry;
    }

    /** A snapshot of all entries so far. */
    public synchronized List<AuditEntry> entries() {
        return List.copyOf(entries);
    }

    /** A snapshot of the entries of one action. */
    public synchronized List<AuditEntry> entries(String action) {
        return entries.stream().filter(e -> e.action().equals(action)).toList();
    }

    /** How many calls of {@code action} arrived, successful or not. */
    public synchronized long count(String action) {
        return entries.stream().filter(e -> e.action().equals(action)).count();
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Instances that RunInstances really launched (not those a repeated ClientToken returned again). */
    public synchronized List<String> launchedInstanceIds() {
        List<String> ids = new ArrayList<>();
        entries.stream().filter(e -> e.action().equals("RunInstances")).forEach(e -> ids.addAll(e.createdIds()));
        return ids;
    }

    public synchronized void clear() {
        entries.clear();
    }
}
