package io.k0rdent.ops.sandbox.ec2;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Decides which calls fail. Counts calls per action for n-th-call rules and draws from a seeded random source for
 * percentage rules, so a run with the same seed and the same call order fails the same calls. Thread-safe.
 */
final class CallFaults {

    private final List<FaultRule> rules;
    private final Map<String, Integer> calls = new HashMap<>();
    private final Random random;

    CallFaults(List<FaultRule> rules, long seed) {
        this.rules = new CopyOnWriteArrayList<>(rules);
        this.random = new Random(seed ^ 0x5DEECE66DL);
    }

    void add(FaultRule rule) {
        rules.add(rule);
    }

    /** Fails the next call of {@code action} from now on, however many calls came before. */
    synchronized void failNext(String action, String errorCode, int httpStatus) {
        rules.add(FaultRule.onNthCall(action, calls.getOrDefault(action, 0) + 1, errorCode, httpStatus));
    }

    void clear() {
        rules.clear();
    }

    /** The rule that fires for this call of {@code action}, if any. Counts the call either way. */
    synchronized Optional<FaultRule> next(String action) {
        int n = calls.merge(action, 1, Integer::sum);
        for (FaultRule rule : rules) {
            if (!rule.appliesTo(action)) {
                continue;
            }
            if (rule.nthCall() > 0 ? rule.nthCall() == n : random.nextDouble() * 100 < rule.percent()) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
