package io.k0rdent.ops.contracts.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventType;
import io.k0rdent.ops.contracts.event.SampleEvents;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClusterEventCodecTest {

    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/gitwatcher"));

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void recordsCarryCloudEventsBinaryHeadersAndDecodeEqual(EventType type) {
        ClusterEvent event = SampleEvents.of(type);

        ProducerRecord<String, byte[]> record = codec.toRecord(event);

        assertThat(record.topic()).isEqualTo(type.topic().name());
        assertThat(record.key()).isEqualTo("dev-cluster-01");
        Headers headers = record.headers();
        assertThat(header(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(headers, "ce_id")).isEqualTo(event.header().eventId().toString());
        assertThat(header(headers, "ce_type")).isEqualTo(type.ceType());
        assertThat(header(headers, "ce_source")).isEqualTo("/k0rdent-ops/gitwatcher");
        assertThat(header(headers, "ce_subject")).isEqualTo("dev-cluster-01");
        assertThat(header(headers, "ce_time")).isEqualTo("2026-11-25T09:30:00Z");
        assertThat(header(headers, "content-type")).isEqualTo("application/json");
        assertThat(codec.decode(record.topic(), headers, record.value())).isEqualTo(event);
    }

    @Test
    void kafkaSerializerAndDeserializerUseTheConfiguredSource() {
        ClusterEventSerializer serializer = new ClusterEventSerializer();
        serializer.configure(Map.of(ClusterEventSerializer.SOURCE_CONFIG, "/k0rdent-ops/provisioner"), false);
        ClusterEvent event = SampleEvents.of(EventType.INFRASTRUCTURE_PROVISIONED);
        Headers headers = new RecordHeaders();

        byte[] value = serializer.serialize("t", headers, event);

        assertThat(header(headers, "ce_source")).isEqualTo("/k0rdent-ops/provisioner");
        assertThat(new ClusterEventDeserializer().deserialize("t", headers, value)).isEqualTo(event);
        assertThat(serializer.serialize("t", headers, null)).isNull();
    }

    @Test
    void serializingWithoutHeadersIsRefusedRatherThanLosingTheAttributes() {
        ClusterEventSerializer serializer = new ClusterEventSerializer();
        ClusterEvent event = SampleEvents.of(EventType.CLUSTER_READY);

        assertThatThrownBy(() -> serializer.serialize("t", event)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ClusterEventDeserializer().deserialize("t", new byte[] {1}))
                .isInstanceOf(EventDecodingException.class);
    }

    @Test
    void recordWithoutHeadersIsNotACloudEvent() {
        assertThatThrownBy(() -> codec.decode("t", new RecordHeaders(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.NOT_A_CLOUD_EVENT));
    }

    @Test
    void nullValueIsNotACloudEvent() {
        ProducerRecord<String, byte[]> record = codec.toRecord(SampleEvents.of(EventType.CLUSTER_READY));

        assertThatThrownBy(() -> codec.decode("t", record.headers(), null))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.NOT_A_CLOUD_EVENT));
    }

    @Test
    void unknownTypeIsReportedAsSuch() {
        ProducerRecord<String, byte[]> record = codec.toRecord(SampleEvents.of(EventType.CLUSTER_READY));
        record.headers().remove("ce_type");
        record.headers().add("ce_type", "io.k0rdent.ops.cluster.teleported.v1".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codec.decode("t", record.headers(), record.value()))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.UNKNOWN_TYPE);
                    assertThat(e).hasMessageContaining("io.k0rdent.ops.cluster.teleported.v1");
                });
    }

    @Test
    void undecodableBytesAreMalformedPayload() {
        ProducerRecord<String, byte[]> record = codec.toRecord(SampleEvents.of(EventType.CLUSTER_READY));

        assertThatThrownBy(() -> codec.decode("t", record.headers(), new byte[] {(byte) 0xff, 0x00, 0x13}))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.MALFORMED_PAYLOAD));
    }

    @Test
    void jsonOfTheWrongShapeIsMalformedPayload() {
        ProducerRecord<String, byte[]> record = codec.toRecord(SampleEvents.of(EventType.CLUSTER_READY));
        byte[] wrongShape = "{\"header\": \"not an object\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode("t", record.headers(), wrongShape))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.MALFORMED_PAYLOAD));
    }

    @Test
    void missingHeaderFieldsAreRejectedNotANullPointerLater() {
        ProducerRecord<String, byte[]> record = codec.toRecord(SampleEvents.of(EventType.CLUSTER_READY));
        byte[] noHeader = "{\"apiEndpoint\": \"https://x:6443\"}".getBytes(StandardCharsets.UTF_8);
        byte[] noEventId = "{\"header\": {\"clusterName\": \"a\", \"occurredAt\": \"2026-01-01T00:00:00Z\"}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode("t", record.headers(), noHeader))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.INVALID_CONTENT));
        assertThatThrownBy(() -> codec.decode("t", record.headers(), noEventId))
                .isInstanceOf(EventDecodingException.class);
    }

    @Test
    void bodyThatContradictsItsHeadersIsInvalid() {
        ProducerRecord<String, byte[]> ready = codec.toRecord(SampleEvents.of(EventType.CLUSTER_READY));
        ProducerRecord<String, byte[]> other = codec.toRecord(SampleEvents.of(EventType.NOTIFICATION_SENT));
        byte[] notificationBodyAsReady = codec.toJson(SampleEvents.of(EventType.NOTIFICATION_SENT));

        assertThatThrownBy(() -> codec.decode("t", ready.headers(), notificationBodyAsReady))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.INVALID_CONTENT);
                    assertThat(e).hasMessageContaining("ce_id");
                });
        assertThat(other.value()).isNotEmpty();
    }
}
