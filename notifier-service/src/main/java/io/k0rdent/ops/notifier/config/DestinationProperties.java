package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.contracts.event.Channel;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code notifier.destinations.<name>.*}: one named place messages go. URLs and signing keys are secrets and
 * are given only as an environment variable name ({@code url-env}) or a file path ({@code url-file}).
 */
@EachProperty("notifier.destinations")
public class DestinationProperties {

    private final String name;
    private Channel type;
    private String urlEnv;
    private String urlFile;
    private String signingKeyEnv;
    private String signingKeyFile;
    private List<String> to = new ArrayList<>();
    private Duration minInterval;

    public DestinationProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    /** {@code slack}, {@code email} or {@code webhook}. */
    public Channel getType() {
        return type;
    }

    public void setType(Channel type) {
        this.type = type;
    }

    public String getUrlEnv() {
        return urlEnv;
    }

    public void setUrlEnv(String urlEnv) {
        this.urlEnv = urlEnv;
    }

    public String getUrlFile() {
        return urlFile;
    }

    public void setUrlFile(String urlFile) {
        this.urlFile = urlFile;
    }

    public String getSigningKeyEnv() {
        return signingKeyEnv;
    }

    public void setSigningKeyEnv(String signingKeyEnv) {
        this.signingKeyEnv = signingKeyEnv;
    }

    public String getSigningKeyFile() {
        return signingKeyFile;
    }

    public void setSigningKeyFile(String signingKeyFile) {
        this.signingKeyFile = signingKeyFile;
    }

    /** E-mail recipients of an {@code email} destination. */
    public List<String> getTo() {
        return to;
    }

    public void setTo(List<String> to) {
        this.to = to;
    }

    /** Least time between two messages; default 1 s for Slack (its webhook limit), none otherwise. */
    public Duration getMinInterval() {
        return minInterval;
    }

    public void setMinInterval(Duration minInterval) {
        this.minInterval = minInterval;
    }
}
