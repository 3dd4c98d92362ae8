package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetirementRequestsTest {

    private static final Instant OVERDUE = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aNodeMarkedBeforeThePatienceRanOutIsOverdue() {
        assertThat(RetirementRequests.markedBefore(marked("2026-12-06T09:59:59Z"), OVERDUE)).isTrue();
    }

    @Test
    void aNodeMarkedWithinThePatienceIsLeftToTheDrainUnderWay() {
        assertThat(RetirementRequests.markedBefore(marked("2026-12-06T10:00:00Z"), OVERDUE)).isFalse();
        assertThat(RetirementRequests.markedBefore(marked("2026-12-06T10:05:00Z"), OVERDUE)).isFalse();
    }

    @Test
    void aMarkWithoutATimeOrWithAnUnreadableOneCountsAsOverdue() {
        // Marked by a version before the time tag, or the tag edited by hand: better one drain too many than a
        // node left running for ever.
        assertThat(RetirementRequests.markedBefore(marked(null), OVERDUE)).isTrue();
        assertThat(RetirementRequests.markedBefore(marked("yesterday"), OVERDUE)).isTrue();
    }

    private static ObservedInstance marked(String since) {
        Map<String, String> tags = new HashMap<>(Map.of(ClusterTags.RETIRING, "SCALE_IN"));
        if (since != null) {
            tags.put(ClusterTags.RETIRING_SINCE, since);
        }
        return new ObservedInstance("i-0123456789abcdef0", NodeRole.WORKER, 1, 1, "t3.large", "us-east-1a",
                "subnet-1", "10.0.0.5", null, "running", "SCALE_IN", tags);
    }
}
