package io.k0rdent.ops.notifier.commitstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryCoordinatesTest {

    @ParameterizedTest
    @CsvSource({
            "https://github.com/acme/clusters, github.com, acme, clusters",
            "https://github.com/acme/clusters.git, github.com, acme, clusters",
            "https://github.com/acme/clusters/, github.com, acme, clusters",
            "http://127.0.0.1:3000/platform/clusters.git, 127.0.0.1, platform, clusters",
            "git@github.com:acme/clusters.git, github.com, acme, clusters",
            "git@gitea.example.com:acme/clusters, gitea.example.com, acme, clusters",
            "ssh://git@gitlab.example.com:2222/acme/clusters.git, gitlab.example.com, acme, clusters",
            "https://gitlab.example.com/platform/infra/k8s/clusters.git, gitlab.example.com, platform/infra/k8s, clusters",
            "git@gitlab.com:platform/infra/clusters.git, gitlab.com, platform/infra, clusters",
    })
    void parsesHttpsSshAndScpLikeUrls(String url, String host, String owner, String name) {
        RepositoryCoordinates repo = RepositoryCoordinates.parse(url);

        assertThat(repo.host()).isEqualTo(host);
        assertThat(repo.owner()).isEqualTo(owner);
        assertThat(repo.name()).isEqualTo(name);
        assertThat(repo.fullPath()).isEqualTo(owner + "/" + name);
    }

    @org.junit.jupiter.api.Test
    void gitLabSubgroupsAreSegmentsOfTheNamespace() {
        assertThat(RepositoryCoordinates.parse("https://gitlab.com/a/b/c/d.git").segments())
                .isEqualTo(List.of("a", "b", "c", "d"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "https://github.com/acme", "https:///acme/clusters", "clusters",
            "/srv/git/clusters", "git@github.com:clusters.git", "https://exa mple.com/a/b"})
    void refusesWhatNamesNoOwnerAndRepository(String url) {
        assertThatThrownBy(() -> RepositoryCoordinates.parse(url)).isInstanceOf(IllegalArgumentException.class);
    }
}
