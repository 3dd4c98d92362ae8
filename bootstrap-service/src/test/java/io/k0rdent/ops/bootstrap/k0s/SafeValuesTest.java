package io.k0rdent.ops.bootstrap.k0s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"x;reboot", "$(reboot)", "dev`id`", "Dev", "-dev", "dev-", "a b", "dev\n", "dev'", ""})
    void clusterNamesMustBeDnsLabels(String name) {
        assertThatThrownBy(() -> SafeValues.clusterName(name)).isInstanceOf(SafeValues.UnsafeValueException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.28.3+k0s.0;reboot", "$(reboot)", "1.28.3", "v1.28.3+k0s.0", "1.28.3+k0s.0 ", "1.28.3+k0s.0\n"})
    void versionsMustBeK0sReleases(String version) {
        assertThatThrownBy(() -> SafeValues.k0sVersion(version)).isInstanceOf(SafeValues.UnsafeValueException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/../root", "relative", "/tmp/a b", "/tmp/$(x)", "/tmp/a;b"})
    void pathsAreAbsoluteAndPlain(String path) {
        assertThatThrownBy(() -> SafeValues.path(path)).isInstanceOf(SafeValues.UnsafeValueException.class);
    }

    @Test
    void goodValuesPass() {
        assertThat(SafeValues.clusterName("dev-cluster-01")).isEqualTo("dev-cluster-01");
        assertThat(SafeValues.k0sVersion("1.28.3+k0s.0")).isEqualTo("1.28.3+k0s.0");
        assertThat(SafeValues.address("10.0.1.20")).isEqualTo("10.0.1.20");
        assertThat(SafeValues.address("ip-10-0-1-20.ec2.internal")).isEqualTo("ip-10-0-1-20.ec2.internal");
        assertThat(SafeValues.sshUser("ubuntu")).isEqualTo("ubuntu");
        assertThat(SafeValues.url("https://github.com/k0sproject/k0s/releases/download/v1.28.3+k0s.0/k0s-v1.28.3+k0s.0-amd64"))
                .startsWith("https://");
    }

    @Test
    void messagesShowControlCharactersEscaped() {
        assertThatThrownBy(() -> SafeValues.hostname("evil\nhost"))
                .hasMessageContaining("evil\\u000ahost");
    }
}
