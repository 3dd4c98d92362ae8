package io.k0rdent.ops.gitwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathGlobsTest {

    private final PathGlobs globs = new PathGlobs(List.of("clusters/**/*.yaml", "clusters/**/*.yml"));

    @Test
    void doubleStarSpansZeroOrMoreDirectories() {
        assertThat(globs.matches("clusters/a.yaml")).isTrue();
        assertThat(globs.matches("clusters/eu/prod/a.yml")).isTrue();
    }

    @Test
    void otherFilesDoNotMatch() {
        assertThat(globs.matches("README.md")).isFalse();
        assertThat(globs.matches("clusters/a.yaml.bak")).isFalse();
        assertThat(globs.matches("other/clusters/a.yaml")).isFalse();
        assertThat(globs.matches("clustersX/a.yaml")).isFalse();
        assertThat(new PathGlobs(List.of("*.yaml")).matches("dir/a.yaml")).isFalse();
    }
}
