package io.k0rdent.ops.sandbox.kafka.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Runs after the other IT classes (see junit-platform.properties) and checks they all met the same broker. */
@Order(3)
@KafkaIntegrationTest
class SharedBrokerIT {

    private KafkaTestContext contextOfBeforeEach;
    private String topicOfBeforeEach;

    @BeforeEach
    void createATopic(KafkaTestContext kafka) {
        contextOfBeforeEach = kafka;
        topicOfBeforeEach = kafka.createTopic("scratch", 1);
    }

    @Test
    void allTestClassesOfThisJvmShareOneBroker(KafkaTestContext kafka) throws Exception {
        Map<String, BrokerProbe.Sighting> sightings = BrokerProbe.sightings(kafka);
        assumeThat(sightings).as("only meaningful when run together with the other IT classes").isNotEmpty();

        assertThat(sightings).containsKeys(ProduceConsumeIT.class.getName(), TransactionsIT.class.getName());
        assertThat(sightings.values())
                .allSatisfy(sighting -> {
                    assertThat(sighting.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
                    assertThat(sighting.clusterId()).isEqualTo(kafka.clusterId());
                });
    }

    @Test
    void aTestAndItsBeforeEachShareOneFreshContext(KafkaTestContext kafka) {
        assertThat(kafka).isSameAs(contextOfBeforeEach);
        assertThat(kafka.createdTopics()).containsExactly(topicOfBeforeEach);
    }
}
