package io.k0rdent.ops.provisioner.control;

import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.support.control.ClusterControl;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The provisioner's view of {@code k0rdent.cluster.control}, read whole at start and followed from then on. */
@Factory
public class ControlFactory {

    @Singleton
    @Bean(preDestroy = "close")
    ClusterControl clusterControl(ProvisionerProperties properties, KafkaDefaultConfiguration kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.getConfig().forEach((key, value) -> config.put(key.toString(), value));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBootstrapServers());
        ClusterControl control = new ClusterControl(config, properties.getGroupId() + "-control",
                properties.getControlTopic(), properties.getKafkaTimeout());
        // Reading starts now, without holding start-up: whoever asks whether a cluster is suspended waits for it.
        control.loadInBackground();
        return control;
    }
}
