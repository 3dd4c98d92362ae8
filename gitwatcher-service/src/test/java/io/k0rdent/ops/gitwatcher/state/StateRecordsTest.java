package io.k0rdent.ops.gitwatcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.validation.ValidationResult;
import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.validation.DefinitionFileValidator;
import io.k0rdent.ops.rules.ClusterYaml;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateRecordsTest {

    private static final WatchKey KEY = new WatchKey("file:///r.git", "main");
    private static final WatchKey OTHER = new WatchKey("file:///other.git", "main");

    @Test
    void recordsReadBackIntoTheSameStateAndTombstonesRemove() {
        ValidationResult a = new DefinitionFileValidator().validate("clusters/a.yaml",
                ClusterYaml.cluster("a").yaml().getBytes(StandardCharsets.UTF_8));
        AcceptedCluster cluster = new AcceptedCluster("a", "clusters/a.yaml", 4, a.definition(), "c1");
        StateRecords records = new StateRecords();
        ChangePlan put = new ChangePlan(KEY, "c1", 7, List.of(), List.of(ChangePlan.StateChange.put(cluster)));

        Map<WatchKey, BranchState> states = new HashMap<>(Map.of(KEY, new BranchState(), OTHER, new BranchState()));
        records.recordsOf(put).forEach(r -> records.apply(states, r.getKey(), r.getValue()));

        BranchState state = states.get(KEY);
        assertThat(state.watermark()).isEqualTo("c1");
        assertThat(state.highestGeneration()).isEqualTo(7);
        assertThat(state.cluster("a")).contains(cluster);
        assertThat(states.get(OTHER).size()).isZero();
        assertThat(records.recordsOf(put)).extracting(Map.Entry::getKey)
                .containsExactly("file:///r.git#main#cluster/a", "file:///r.git#main");

        ChangePlan remove = new ChangePlan(KEY, "c2", 8, List.of(), List.of(ChangePlan.StateChange.remove("a")));
        records.recordsOf(remove).forEach(r -> records.apply(states, r.getKey(), r.getValue()));
        assertThat(state.cluster("a")).isEmpty();
        assertThat(state.watermark()).isEqualTo("c2");
    }
}
