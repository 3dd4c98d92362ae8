package io.k0rdent.ops.notifier.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code notifier.routes.<name>.*}: one routing rule. Every rule an event matches contributes its
 * destinations, so the order of rules does not matter.
 */
@EachProperty("notifier.routes")
public class RouteProperties {

    private final String name;
    private List<String> types = new ArrayList<>();
    private List<String> severities = new ArrayList<>();
    private Map<String, String> labels = new HashMap<>();
    private List<String> destinations = new ArrayList<>();
    private boolean keepDefault;

    public RouteProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    /** {@code ce_type}s, short names ({@code bootstrap.failed}) or families ({@code bootstrap}). */
    public List<String> getTypes() {
        return types;
    }

    public void setTypes(List<String> types) {
        this.types = types;
    }

    /** {@code info}, {@code warning}, {@code error}. */
    public List<String> getSeverities() {
        return severities;
    }

    public void setSeverities(List<String> severities) {
        this.severities = severities;
    }

    /** Label → accepted values, comma-separated; {@code *} accepts any value of a label that is set. */
    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public List<String> getDestinations() {
        return destinations;
    }

    public void setDestinations(List<String> destinations) {
        this.destinations = destinations;
    }

    /** A match leaves the default route in place (for commit-status destinations told in addition). */
    public boolean isKeepDefault() {
        return keepDefault;
    }

    public void setKeepDefault(boolean keepDefault) {
        this.keepDefault = keepDefault;
    }
}
