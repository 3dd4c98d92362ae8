package io.k0rdent.ops.notifier.message;

import io.k0rdent.ops.support.Secret;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.FailureRetry;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.PhaseTiming;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.SecretReference;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.notifier.routing.EventClass;
import io.k0rdent.ops.notifier.routing.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns events into {@link MessageContent}: what happened, to which cluster, from which commit and
 * author, how long it took, what went wrong and what to do about it, and how to get the kubeconfig.
 *
 * <p>Events carry no secrets and the renderer adds none: the kubeconfig is referenced by its Secret, as the
 * {@code k0ops kubeconfig} command that fetches it (which needs no access beyond reading that Secret), never
 * included.
 */
public final class MessageRenderer {

    /** The namespace {@code k0ops kubeconfig} reads from unless told otherwise. */
    private static final String DEFAULT_SECRET_NAMESPACE = "k0rdent-system";

    /** Longest error text kept; Slack rejects section texts over 3,000 characters. */
    static final int MAX_ERROR_LENGTH = 1500;
    /** Cluster lines shown in a digest before "… and N more". */
    static final int MAX_DIGEST_LINES = 25;
    private static final int MAX_PROBLEMS = 5;

    private final String commitUrlTemplate;
    private final String defaultRepository;

    /**
     * @param commitUrlTemplate e.g. {@code {repository}/commit/{commit}}; {@code {repository}} is the repository URL
     *                          without a trailing {@code .git}. {@code null} or blank: no commit links
     * @param defaultRepository the repository for events that do not name theirs (everything after the
     *                          gitwatcher's events); may be {@code null}
     */
    public MessageRenderer(String commitUrlTemplate, String defaultRepository) {
        this.commitUrlTemplate = commitUrlTemplate == null || commitUrlTemplate.isBlank() ? null : commitUrlTemplate;
        this.defaultRepository = defaultRepository == null || defaultRepository.isBlank() ? null : defaultRepository;
    }

    /** One message for one notice, or a digest when there are several. */
    public MessageContent render(List<Notice> notices) {
        if (notices.isEmpty()) {
            throw new IllegalArgumentException("nothing to render");
        }
        return notices.size() == 1 ? single(notices.get(0)) : digest(notices);
    }

    private MessageContent single(Notice notice) {
        ClusterEvent event = notice.event();
        EventHeader header = event.header();
        EventClass eventClass = EventClass.of(event);
        List<Fact> facts = new ArrayList<>();
        facts.add(Fact.text("Cluster", header.clusterName()));
        facts.add(Fact.text("Stage", eventClass.stage().label()));
        commitFact(event).ifPresent(facts::add);
        authorFact(header.initiator()).ifPresent(facts::add);
        duration(event, notice.flowStartedAt()).ifPresent(d -> facts.add(Fact.text("Duration", d)));
        addDetails(event, facts);
        String title = header.clusterName() + ": " + what(event);
        if (notice.recovery() != null) {
            title = title + " again " + notice.recovery().phrase();
            facts.add(Fact.text("Recovered", notice.recovery().phrase()));
        }
        return new MessageContent(title, eventClass.severity(), facts, List.of(), 0, 1);
    }

    private MessageContent digest(List<Notice> notices) {
        ClusterEvent first = notices.get(0).event();
        EventClass eventClass = EventClass.of(first);
        List<Fact> facts = new ArrayList<>();
        facts.add(Fact.text("Stage", eventClass.stage().label()));
        commitFact(first).ifPresent(facts::add);
        authorFact(first.header().initiator()).ifPresent(facts::add);
        List<String> lines = notices.stream()
                .sorted(Comparator.comparing(n -> n.event().header().clusterName()))
                .map(n -> n.event().header().clusterName() + ": " + what(n.event())
                        + (n.recovery() == null ? "" : " again " + n.recovery().phrase()))
                .toList();
        int omitted = Math.max(0, lines.size() - MAX_DIGEST_LINES);
        Severity severity = notices.stream().map(n -> EventClass.of(n.event()).severity())
                .max(Comparator.naturalOrder()).orElse(Severity.INFO);
        String title = notices.size() + " clusters: " + EventClass.shortName(first.type()).replace('.', ' ');
        return new MessageContent(title, severity, facts, lines.subList(0, lines.size() - omitted), omitted,
                notices.size());
    }

    /** What happened, in a few words. */
    static String what(ClusterEvent event) {
        return switch (event.type()) {
            case CLUSTER_DEFINITION_CREATED -> "definition accepted, cluster will be created";
            case CLUSTER_DEFINITION_UPDATED -> {
                int changes = ((ClusterDefinitionUpdated) event).changes().size();
                yield "definition updated (" + changes + (changes == 1 ? " change)" : " changes)");
            }
            case CLUSTER_DEFINITION_DELETED -> "definition deleted, infrastructure will be destroyed";
            case CLUSTER_DEFINITION_REJECTED -> {
                int problems = ((ClusterDefinitionRejected) event).problems().size();
                yield "definition rejected (" + problems + (problems == 1 ? " problem)" : " problems)");
            }
            case INFRASTRUCTURE_PROVISIONED -> {
                InfrastructureProvisioned e = (InfrastructureProvisioned) event;
                yield "infrastructure provisioned (" + e.nodes().size() + " nodes in " + e.region() + ")";
            }
            case NODES_RETIREMENT_REQUESTED -> {
                NodesRetirementRequested e = (NodesRetirementRequested) event;
                yield e.nodes().size() + " nodes to retire (" + e.reason() + ")";
            }
            case PROVISIONING_FAILED -> "provisioning failed (" + ((ProvisioningFailed) event).reason() + ")";
            case INFRASTRUCTURE_DESTROYED -> "infrastructure destroyed";
            case DRIFT_DETECTED -> {
                DriftDetected e = (DriftDetected) event;
                yield "drift detected: " + e.kind() + " " + e.resourceId() + " (" + e.action() + ")";
            }
            case CLUSTER_READY -> "ready";
            case BOOTSTRAP_FAILED -> "bootstrap failed at " + ((BootstrapFailed) event).phase();
            case NODES_DRAINED -> ((NodesDrained) event).instanceIds().size() + " nodes drained";
            case NOTIFICATION_SENT -> "notification sent";
            case NOTIFICATION_FAILED -> "notification failed";
            // Control events are not on the topics the notifier reads; named in case a route ever carries them.
            case CLUSTER_SUSPENDED -> "suspended";
            case CLUSTER_RESUMED -> "resumed";
            case RECONCILE_REQUESTED -> "reconcile requested";
        };
    }

    /**
     * What happens next without anyone acting: the service's own retry and when, or that it has stopped trying (the
     * last failure of a row is told too: each failure in a row has its own event id).
     */
    private static Optional<Fact> retry(EventHeader header, boolean retryable, FailureRetry retry) {
        if (retry == null) {
            return Optional.empty();
        }
        String row = "failure " + retry.attempt() + " in a row; ";
        if (retry.nextAt() != null) {
            return Optional.of(Fact.text("Retry", row + "tried again automatically at "
                    + retry.nextAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        }
        String why = retryable ? "automatic retries spent" : "not retryable";
        return Optional.of(Fact.text("Retry", row + why + ": push a change or run `k0ops reconcile "
                + header.clusterName() + "`"));
    }

    private void addDetails(ClusterEvent event, List<Fact> facts) {
        if (event instanceof ProvisioningFailed failed) {
            facts.add(Fact.code("Error", truncate(join(failed.errorCode(), failed.resource(), failed.message()))));
            facts.add(Fact.text("Remediation", Remediation.forProvisioning(failed.reason())));
            retry(failed.header(), failed.retryable(), failed.retry()).ifPresent(facts::add);
        } else if (event instanceof BootstrapFailed failed) {
            facts.add(Fact.code("Error", truncate(join(failed.host(), failed.message(), failed.stderrTail()))));
            facts.add(Fact.text("Remediation", Remediation.forBootstrap(failed.phase())));
            retry(failed.header(), failed.retryable(), failed.retry()).ifPresent(facts::add);
        } else if (event instanceof ClusterDefinitionRejected rejected) {
            List<String> problems = rejected.problems().stream().limit(MAX_PROBLEMS)
                    .map(ValidationProblem::toString).toList();
            String more = rejected.problems().size() > MAX_PROBLEMS
                    ? "\n… and " + (rejected.problems().size() - MAX_PROBLEMS) + " more" : "";
            facts.add(Fact.code("Error", truncate(String.join("\n", problems) + more)));
            facts.add(Fact.text("Remediation", Remediation.forRejection()));
        } else if (event instanceof DriftDetected drift) {
            facts.add(Fact.text("Drift", drift.description()));
            facts.add(Fact.text("Remediation", Remediation.forDrift()));
        } else if (event instanceof ClusterReady ready) {
            if (ready.apiEndpoint() != null) {
                facts.add(Fact.text("API", ready.apiEndpoint()));
            }
            kubeconfigCommand(ready.header().clusterName(), ready.kubeconfigSecret())
                    .ifPresent(cmd -> facts.add(Fact.code("Kubeconfig", cmd)));
        } else if (event instanceof InfrastructureDestroyed destroyed) {
            facts.add(Fact.text("Removed", destroyed.removedResources().size() + " resources"));
        } else if (event instanceof ClusterDefinitionChanged changed && changed.git() != null
                && changed.git().message() != null) {
            facts.add(Fact.text("Change", changed.git().message()));
        }
    }

    /** How to fetch the kubeconfig from its Secret; the notifier never sees the kubeconfig itself. */
    static Optional<String> kubeconfigCommand(String cluster, SecretReference secret) {
        if (secret == null || secret.name() == null) {
            return Optional.empty();
        }
        String namespace = secret.namespace() == null ? "default" : secret.namespace();
        if (!secret.name().equals(cluster + "-kubeconfig")) {
            // A Secret named otherwise than k0ops kubeconfig expects: say where it is, kubectl-style.
            return Optional.of("kubectl get secret -n " + namespace + " " + secret.name()
                    + " -o jsonpath='{.data.value}' | base64 -d > kubeconfig");
        }
        return Optional.of("k0ops kubeconfig " + cluster
                + (namespace.equals(DEFAULT_SECRET_NAMESPACE) ? "" : " -n " + namespace));
    }

    private Optional<Fact> commitFact(ClusterEvent event) {
        String commit = event.header().gitCommit();
        if (commit == null || commit.isBlank()) {
            return Optional.empty();
        }
        String shortCommit = commit.length() > 7 ? commit.substring(0, 7) : commit;
        String repository = defaultRepository;
        String message = null;
        if (event instanceof ClusterDefinitionChanged changed && changed.git() != null) {
            repository = Objects.requireNonNullElse(changed.git().repository(), repository);
            message = changed.git().message();
        } else if (event instanceof ClusterDefinitionRejected rejected && rejected.git() != null) {
            GitSource git = rejected.git();
            repository = Objects.requireNonNullElse(git.repository(), repository);
            message = git.message();
        }
        String value = message == null ? shortCommit : shortCommit + " " + message;
        if (commitUrlTemplate == null || repository == null) {
            return Optional.of(Fact.text("Commit", value));
        }
        String base = repository.endsWith(".git") ? repository.substring(0, repository.length() - 4) : repository;
        String url = commitUrlTemplate.replace("{repository}", base).replace("{commit}", commit);
        return Optional.of(Fact.link("Commit", value, url));
    }

    private static Optional<Fact> authorFact(Initiator initiator) {
        if (initiator == null || (initiator.name() == null && initiator.email() == null)) {
            return Optional.empty();
        }
        String value = initiator.email() == null ? initiator.name()
                : initiator.name() == null ? initiator.email() : initiator.name() + " <" + initiator.email() + ">";
        return Optional.of(Fact.text("Author", value));
    }

    /** Time spent in bootstrap phases (ready events) and since the change was accepted in Git, as far as known. */
    private static Optional<String> duration(ClusterEvent event, Instant flowStartedAt) {
        List<String> parts = new ArrayList<>();
        if (event instanceof ClusterReady ready && !ready.phases().isEmpty()) {
            Duration total = ready.phases().stream().map(PhaseTiming::duration).filter(Objects::nonNull)
                    .reduce(Duration.ZERO, Duration::plus);
            parts.add(format(total) + " bootstrap");
        }
        if (flowStartedAt != null && event.header().occurredAt().isAfter(flowStartedAt)) {
            parts.add(format(Duration.between(flowStartedAt, event.header().occurredAt()))
                    + " since the change was accepted");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
    }

    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds / 3600 + "h " + (seconds % 3600) / 60 + "m";
    }

    private static String join(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part.strip());
            }
        }
        return present.isEmpty() ? "(no details)" : String.join("\n", present);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
