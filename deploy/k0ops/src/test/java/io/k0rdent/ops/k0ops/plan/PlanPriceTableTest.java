package io.k0rdent.ops.k0ops.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlanPriceTableTest {

    @Test
    void theShippedTableHasThePublishedUsEast1Prices() {
        PriceTable shipped = PriceTable.shipped();

        assertThat(shipped.hoursPerMonth()).isEqualTo(730);
        assertThat(shipped.source()).contains("aws.amazon.com");
        assertThat(shipped.hourly("us-east-1", "t3.medium")).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("0.0416"));
        assertThat(shipped.hourly("us-east-1", "m5.large")).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("0.096"));
    }

    @Test
    void theShippedTablePricesEveryAllowedTypeInUsEast1() {
        PriceTable shipped = PriceTable.shipped();

        // The default policy is what definitions may use; the templates and docs use us-east-1.
        assertThat(ValidationPolicy.defaults().allowedInstanceTypes())
                .allSatisfy(type -> assertThat(shipped.hourly("us-east-1", type)).as(type).isPresent());
    }

    @Test
    void monthlyIsHourlyTimesHoursTimesCount() {
        PriceTable shipped = PriceTable.shipped();

        assertThat(shipped.monthly("us-east-1", "t3.large", 2)).hasValueSatisfying(
                m -> assertThat(m).isEqualByComparingTo("121.472"));
        assertThat(MonthlyCost.of(shipped, "us-east-1", "t3.large", 2).label()).isEqualTo("$121.47");
    }

    @Test
    void aMissingTypeOrRegionIsUnknownNotZero() {
        PriceTable shipped = PriceTable.shipped();

        assertThat(shipped.hourly("us-east-1", "p4d.24xlarge")).isEmpty();
        assertThat(shipped.hourly("xx-nowhere-1", "t3.medium")).isEmpty();
        MonthlyCost unknown = MonthlyCost.of(shipped, "xx-nowhere-1", "t3.medium", 1);
        assertThat(unknown.complete()).isFalse();
        assertThat(unknown.label()).isEqualTo("unknown price");
        assertThat(unknown.plus(MonthlyCost.of(shipped, "us-east-1", "t3.medium", 1)).unpriced())
                .containsExactly("xx-nowhere-1/t3.medium");
        // No instances cost nothing, whatever their type.
        assertThat(MonthlyCost.of(shipped, "xx-nowhere-1", "t3.medium", 0).complete()).isTrue();
    }

    @Test
    void aMalformedTableIsRejectedWithWhatIsWrong() {
        assertThatThrownBy(() -> PriceTable.parse(new ByteArrayInputStream(
                "regions:\n  us-east-1:\n    t3.medium: cheap\n".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("us-east-1/t3.medium is not a number");
        assertThatThrownBy(() -> PriceTable.parse(new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("regions");
    }
}
