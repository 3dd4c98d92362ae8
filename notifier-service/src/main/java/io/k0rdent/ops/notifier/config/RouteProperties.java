package io.k0rdent.ops.notifier.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;
import java.util.Map;

/**
 * {@code k0rdent.notifier.routes.<name>.*}: one routing rule. Every rule an event matches contributes its
 * destinations, so the order of rules does not matter.
 *
 * @param types        {@code ce_type}s, short names ({@code bootstrap.failed}) or families ({@code bootstrap})
 * @param severities   {@code info}, {@code warning}, {@code error}
 * @param labels       label → accepted values, comma-separated; {@code *} accepts any value of a label that is set
 * @param keepDefault  a match leaves the default route in place (for commit-status destinations told in addition)
 */
@EachProperty(NotifierProperties.PREFIX + ".routes")
public record RouteProperties(
        @Parameter String name,
        @Nullable List<String> types,
        @Nullable List<String> severities,
        @Nullable Map<String, String> labels,
        @Nullable List<String> destinations,
        @Bindable(defaultValue = "false") boolean keepDefault) {

    public RouteProperties {
        types = types == null ? List.of() : List.copyOf(types);
        severities = severities == null ? List.of() : List.copyOf(severities);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
    }
}
