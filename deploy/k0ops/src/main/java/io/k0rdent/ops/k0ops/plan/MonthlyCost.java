package io.k0rdent.ops.k0ops.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * An estimated monthly cost in USD. {@code usd} covers only what the price table knows; {@code unpriced}
 * names what it does not ({@code region/type}), so a partial sum is never shown as if it were complete.
 *
 * @param usd      the sum of the known prices, unrounded (rounded to cents only for display, so a delta
 *                 is not off by a cent)
 * @param unpriced {@code region/instanceType} entries without a price, sorted, never null
 */
public record MonthlyCost(BigDecimal usd, List<String> unpriced) {

    public static final MonthlyCost ZERO = new MonthlyCost(BigDecimal.ZERO, List.of());

    public MonthlyCost {
        unpriced = List.copyOf(new TreeSet<>(unpriced));
    }

    /** The cost of {@code count} instances of one type, unknown when the table lacks the type. */
    public static MonthlyCost of(PriceTable prices, String region, String instanceType, int count) {
        if (count == 0) {
            return ZERO;
        }
        return prices.monthly(region, instanceType, count)
                .map(usd -> new MonthlyCost(usd, List.of()))
                .orElseGet(() -> new MonthlyCost(BigDecimal.ZERO, List.of(region + "/" + instanceType)));
    }

    /** {@link #usd()} rounded to cents. */
    public BigDecimal cents() {
        return usd.setScale(2, RoundingMode.HALF_UP);
    }

    public boolean complete() {
        return unpriced.isEmpty();
    }

    public MonthlyCost plus(MonthlyCost other) {
        List<String> both = new ArrayList<>(unpriced);
        both.addAll(other.unpriced);
        return new MonthlyCost(usd.add(other.usd), both);
    }

    /** {@code $182.21}, or {@code unknown price} when any part is unpriced. */
    public String label() {
        return complete() ? "$" + cents().toPlainString() : "unknown price";
    }

    /** The change from {@code before} to this, signed ({@code +$60.74}); unknown when either is incomplete. */
    public String deltaLabel(MonthlyCost before) {
        if (!complete() || !before.complete()) {
            return "unknown";
        }
        BigDecimal delta = usd.subtract(before.usd).setScale(2, RoundingMode.HALF_UP);
        if (delta.signum() == 0) {
            return "$0.00";
        }
        return (delta.signum() < 0 ? "-$" : "+$") + delta.abs().toPlainString();
    }
}
