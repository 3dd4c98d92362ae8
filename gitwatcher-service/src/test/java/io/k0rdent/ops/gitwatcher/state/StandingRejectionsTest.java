package io.k0rdent.ops.gitwatcher.state;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.gitwatcher.git.FileChange;
import io.k0rdent.ops.gitwatcher.validation.DefinitionFileValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandingRejectionsTest {

    @Test
    void onlyUnchangedFilesThatHoldNoAcceptedClusterStand() {
        BranchState state = new BranchState();
        byte[] yaml = cluster("a").yaml().getBytes(StandardCharsets.UTF_8);
        state.put(new AcceptedCluster("a", "clusters/a.yaml", 1,
                new DefinitionFileValidator().validate("clusters/a.yaml", yaml).definition(), "c1"));
        List<FileChange> atHead = List.of(FileChange.added("clusters/a.yaml", "1"), FileChange.added("clusters/b.yaml", "2"),
                FileChange.added("clusters/c.yaml", "3"), FileChange.added("clusters/d.yaml", "4"));

        List<FileChange> standing = StandingRejections.select(state, atHead,
                List.of(FileChange.modified("clusters/c.yaml", "3"), FileChange.renamed("clusters/x.yaml", "clusters/d.yaml", "4")));

        // a is accepted, c and d are planned as changes already: only b is left to plan again.
        assertThat(standing).extracting(FileChange::newPath).containsExactly("clusters/b.yaml");
    }
}
