package io.k0rdent.ops.notifier.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.notifier.TestEvents;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NotificationRouterTest {

    private static final Set<String> KNOWN = Set.of("eng-slack", "prod-oncall", "audit-hook", "catch-all",
            "commit-author");

    private static final RouteRule ENGINEERING = new RouteRule("engineering", Set.of(), Set.of(),
            Map.of("team", Set.of("engineering")), List.of("eng-slack"));
    private static final RouteRule PROD_ERRORS = new RouteRule("prod-errors", Set.of(), Set.of(Severity.ERROR),
            Map.of("environment", Set.of("production", "staging")), List.of("prod-oncall"));
    private static final RouteRule BOOTSTRAP_AUDIT = new RouteRule("bootstrap-audit", Set.of("bootstrap", "rejection"),
            Set.of(), Map.of("team", Set.of("*")), List.of("audit-hook"));

    private final NotificationRouter router = new NotificationRouter(new RoutingPolicy(
            List.of(ENGINEERING, PROD_ERRORS, BOOTSTRAP_AUDIT), List.of("catch-all"),
            new AuthorPolicy(true, "commit-author", Set.of("example.com"))), KNOWN);

    @Test
    void routesByTeamLabelAndTypeFamily() {
        ClusterEvent ready = TestEvents.ready(header(Map.of("team", "engineering", "environment", "development"), null));

        assertThat(destinations(ready)).containsExactly("eng-slack", "audit-hook");
    }

    @Test
    void routesErrorsOfProductionToOncallButNotInfo() {
        Map<String, String> prod = Map.of("team", "payments", "environment", "production");

        assertThat(destinations(TestEvents.bootstrapFailed(header(prod, null))))
                .containsExactly("prod-oncall", "audit-hook");
        assertThat(destinations(TestEvents.provisioned(header(prod, null)))).containsExactly("catch-all");
    }

    @Test
    void rejectionsMatchTheirOwnFamilyName() {
        ClusterEvent rejected = TestEvents.rejected(header(Map.of("team", "payments"), null));

        assertThat(destinations(rejected)).containsExactly("audit-hook");
    }

    @Test
    void aKeepDefaultRuleAddsItsDestinationsWithoutSilencingTheDefaultRoute() {
        RouteRule statuses = new RouteRule("commit-statuses", Set.of("definition", "bootstrap"), Set.of(), Map.of(),
                List.of("audit-hook"), true);
        NotificationRouter withStatuses = new NotificationRouter(new RoutingPolicy(List.of(ENGINEERING, statuses),
                List.of("catch-all"), null), KNOWN);
        ClusterEvent unlabelled = TestEvents.ready(header(Map.of(), null));
        ClusterEvent engineering = TestEvents.ready(header(Map.of("team", "engineering"), null));

        assertThat(withStatuses.route(unlabelled)).extracting(Route::destination)
                .containsExactly("audit-hook", "catch-all");
        assertThat(withStatuses.route(engineering)).extracting(Route::destination)
                .containsExactly("eng-slack", "audit-hook");
    }

    @Test
    void usesTheDefaultRouteWhenNoRuleMatches() {
        ClusterEvent event = TestEvents.provisioned(header(Map.of(), null));

        assertThat(destinations(event)).containsExactly("catch-all");
    }

    @Test
    void matchesFullAndShortTypeNames() {
        RouteRule byCeType = new RouteRule("ce", Set.of("io.k0rdent.ops.cluster.bootstrap.failed.v1"), Set.of(),
                Map.of(), List.of("prod-oncall"));
        RouteRule byShort = new RouteRule("short", Set.of("infrastructure.provisioning-failed"), Set.of(), Map.of(),
                List.of("audit-hook"));
        NotificationRouter r = new NotificationRouter(new RoutingPolicy(List.of(byCeType, byShort), List.of(),
                AuthorPolicy.disabled()), KNOWN);

        assertThat(r.route(TestEvents.bootstrapFailed(header(Map.of(), null)))).extracting(Route::destination)
                .containsExactly("prod-oncall");
        assertThat(r.route(TestEvents.provisioningFailed(header(Map.of(), null)))).extracting(Route::destination)
                .containsExactly("audit-hook");
        assertThat(r.route(TestEvents.ready(header(Map.of(), null)))).isEmpty();
    }

    @Test
    void mailsTheCommitAuthorOfAnAllowedDomain() {
        ClusterEvent event = TestEvents.ready(header(Map.of(), new Initiator("Ada", "ada@Example.com")));

        List<Route> routes = router.route(event);

        assertThat(routes).extracting(Route::destination).containsExactly("catch-all", "commit-author");
        assertThat(routes.get(1).recipient()).isEqualTo("ada@Example.com");
    }

    @Test
    void doesNotMailAuthorsOfOtherDomainsOrWithoutAddress() {
        assertThat(destinations(TestEvents.ready(header(Map.of(), new Initiator("Eve", "eve@evil.test")))))
                .containsExactly("catch-all");
        assertThat(destinations(TestEvents.ready(header(Map.of(), new Initiator("Anon", null)))))
                .containsExactly("catch-all");
        assertThat(destinations(TestEvents.ready(header(Map.of(), new Initiator("Bad", "not-an-address")))))
                .containsExactly("catch-all");
    }

    @Test
    void authorMailCanBeSwitchedOff() {
        NotificationRouter off = new NotificationRouter(new RoutingPolicy(List.of(), List.of("catch-all"),
                new AuthorPolicy(false, "commit-author", Set.of())), KNOWN);

        assertThat(off.route(TestEvents.ready(header(Map.of(), TestEvents.ADA)))).extracting(Route::destination)
                .containsExactly("catch-all");
    }

    @Test
    void anyDomainIsAllowedWhenTheListIsEmpty() {
        assertThat(new AuthorPolicy(true, "commit-author", Set.of()).accepts("someone@anywhere.test")).isTrue();
    }

    @Test
    void neverRoutesItsOwnAuditEvents() {
        NotificationSent sent = new NotificationSent(header(Map.of("team", "engineering"), TestEvents.ADA),
                UUID.randomUUID(), "x", Channel.SLACK, "eng-slack", 1);

        assertThat(router.route(sent)).isEmpty();
    }

    @Test
    void rejectsRulesThatNameUnknownDestinations() {
        RouteRule typo = new RouteRule("typo", Set.of(), Set.of(), Map.of(), List.of("eng-slak"));

        assertThatThrownBy(() -> new NotificationRouter(new RoutingPolicy(List.of(typo), List.of(),
                AuthorPolicy.disabled()), KNOWN)).hasMessageContaining("eng-slak");
    }

    private List<String> destinations(ClusterEvent event) {
        return router.route(event).stream().map(Route::destination).toList();
    }

    private static EventHeader header(Map<String, String> labels, Initiator initiator) {
        return TestEvents.header("c1", labels, initiator, TestEvents.T0);
    }
}
