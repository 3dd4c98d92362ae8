package io.k0rdent.ops.contracts.serde;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapping of events, shared by every producer and consumer. */
public final class EventJson {

    private EventJson() {
    }

    /**
     * A new mapper configured for the event contract: ISO-8601 times and durations, nulls left out,
     * and tolerant reading — unknown fields and unknown enum constants from newer producers are
     * ignored (read as absent) rather than failing, which is what makes additive changes safe.
     */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }
}
