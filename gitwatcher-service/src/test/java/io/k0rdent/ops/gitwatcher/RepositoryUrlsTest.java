package io.k0rdent.ops.gitwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepositoryUrlsTest {

    @Test
    void credentialsAreStripped() {
        assertThat(RepositoryUrls.withoutCredentials("https://bot:s3cr3t@git.example.com/x/clusters.git"))
                .isEqualTo("https://git.example.com/x/clusters.git");
        assertThat(RepositoryUrls.withoutCredentials("file:///tmp/remote.git/")).isEqualTo("file:///tmp/remote.git/");
    }

    @Test
    void spellingsOfOneRepositoryMatch() {
        String key = RepositoryUrls.matchKey("https://github.com/Codertocat/Hello-World.git");
        assertThat(RepositoryUrls.matchKey("git@github.com:Codertocat/Hello-World.git")).isEqualTo(key);
        assertThat(RepositoryUrls.matchKey("https://github.com/Codertocat/Hello-World/")).isEqualTo(key);
        assertThat(RepositoryUrls.matchKey("ssh://git@github.com:22/codertocat/hello-world")).isEqualTo(key);
        assertThat(RepositoryUrls.matchKey("Codertocat/Hello-World")).isEqualTo("codertocat/hello-world");
    }
}
