package io.k0rdent.ops.contracts.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import io.cloudevents.rw.CloudEventRWException;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns events into Kafka records and back: the JSON body as the value, the CloudEvents 1.0
 * attributes as binary-mode {@code ce_*} headers ({@code ce_id} = event id, {@code ce_type},
 * {@code ce_source} = the producing service, {@code ce_subject} = the cluster, {@code ce_time}).
 * The CloudEvents Kafka binding does the header mapping, so any CloudEvents consumer (or kcat) reads
 * these records.
 *
 * <p>Thread-safe; create one per producer or consumer.
 */
public final class ClusterEventCodec {

    public static final String CONTENT_TYPE = "application/json";

    private final URI source;
    private final ObjectMapper mapper = EventJson.newMapper();
    private final CloudEventSerializer cloudEventSerializer = new CloudEventSerializer();
    private final CloudEventDeserializer cloudEventDeserializer = new CloudEventDeserializer();

    /**
     * @param source the CloudEvents source of events this codec encodes, e.g. {@code /k0rdent-ops/gitwatcher}
     */
    public ClusterEventCodec(URI source) {
        this.source = Objects.requireNonNull(source, "source");
        cloudEventSerializer.configure(
                Map.of(CloudEventSerializer.ENCODING_CONFIG, io.cloudevents.core.message.Encoding.BINARY), false);
        cloudEventDeserializer.configure(Map.of(), false);
    }

    public URI source() {
        return source;
    }

    /** The event as a CloudEvent with its JSON body as data. */
    public CloudEvent toCloudEvent(ClusterEvent event) {
        EventHeader header = event.header();
        return CloudEventBuilder.v1()
                .withId(header.eventId().toString())
                .withType(event.type().ceType())
                .withSource(source)
                .withSubject(header.clusterName())
                .withTime(header.occurredAt().atOffset(ZoneOffset.UTC))
                .withDataContentType(CONTENT_TYPE)
                .withData(toJson(event))
                .build();
    }

    /** Writes the {@code ce_*} headers of {@code event} into {@code headers} and returns the record value. */
    public byte[] encode(String topic, Headers headers, ClusterEvent event) {
        return cloudEventSerializer.serialize(topic, headers, toCloudEvent(event));
    }

    /** A record for the event's own topic, keyed by cluster name. */
    public ProducerRecord<String, byte[]> toRecord(ClusterEvent event) {
        String topic = event.type().topic().name();
        Headers headers = new RecordHeaders();
        byte[] value = encode(topic, headers, event);
        return new ProducerRecord<>(topic, null, event.key(), value, headers);
    }

    /** The JSON body alone, e.g. for golden files and {@code k0ops tail -o json}. */
    public byte[] toJson(ClusterEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            // Every event type is a plain record of JSON-mappable parts; failing here is a programming error.
            throw new IllegalStateException("cannot serialise " + event.type(), e);
        }
    }

    /** Reads a JSON body of a known type. */
    public ClusterEvent fromJson(EventType type, byte[] json) {
        try {
            return mapper.readValue(json, type.javaType());
        } catch (JsonProcessingException e) {
            throw new EventDecodingException(EventDecodingException.Reason.MALFORMED_PAYLOAD,
                    "body is not a valid " + type.ceType() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a consumed record; never returns null. */
    public ClusterEvent decode(ConsumerRecord<?, byte[]> record) {
        return decode(record.topic(), record.headers(), record.value());
    }

    /**
     * Decodes a record value with its headers.
     *
     * @throws EventDecodingException with a {@link EventDecodingException.Reason} when the record is not a
     *                                readable event of a known type
     */
    public ClusterEvent decode(String topic, Headers headers, byte[] value) {
        if (value == null) {
            throw new EventDecodingException(EventDecodingException.Reason.NOT_A_CLOUD_EVENT, "record has no value");
        }
        CloudEvent cloudEvent;
        try {
            cloudEvent = cloudEventDeserializer.deserialize(topic, headers, value);
        } catch (CloudEventRWException | IllegalArgumentException | IllegalStateException e) {
            throw new EventDecodingException(EventDecodingException.Reason.NOT_A_CLOUD_EVENT,
                    "missing or invalid CloudEvents headers: " + e.getMessage(), e);
        }
        EventType type = EventType.fromCeType(cloudEvent.getType())
                .orElseThrow(() -> new EventDecodingException(EventDecodingException.Reason.UNKNOWN_TYPE,
                        "unknown event type '" + cloudEvent.getType() + "'"));
        if (cloudEvent.getData() == null) {
            throw new EventDecodingException(EventDecodingException.Reason.MALFORMED_PAYLOAD, "event has no data");
        }
        ClusterEvent event = fromJson(type, cloudEvent.getData().toBytes());
        checkConsistent(cloudEvent, event);
        return event;
    }

    private static void checkConsistent(CloudEvent cloudEvent, ClusterEvent event) {
        EventHeader header = event.header();
        if (header == null) {
            throw new EventDecodingException(EventDecodingException.Reason.INVALID_CONTENT, "event has no header");
        }
        if (!header.eventId().toString().equals(cloudEvent.getId())) {
            throw new EventDecodingException(EventDecodingException.Reason.INVALID_CONTENT,
                    "ce_id " + cloudEvent.getId() + " does not match header.eventId " + header.eventId());
        }
        if (cloudEvent.getSubject() != null && !cloudEvent.getSubject().equals(header.clusterName())) {
            throw new EventDecodingException(EventDecodingException.Reason.INVALID_CONTENT,
                    "ce_subject " + cloudEvent.getSubject() + " does not match header.clusterName");
        }
    }
}
