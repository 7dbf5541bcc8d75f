package dev.darkfactory.operator.budget;

import dev.darkfactory.operator.api.v1alpha1.BudgetPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Where a budget period starts and ends: UTC calendar days and months, whatever the cluster's zone.
 */
public final class BudgetPeriods {

    private BudgetPeriods() {}

    /** The start of the period that {@code now} falls in. */
    public static Instant start(BudgetPeriod period, Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = period == BudgetPeriod.Month ? day.withDayOfMonth(1) : day;
        return first.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The start of the period after the one {@code now} falls in. */
    public static Instant next(BudgetPeriod period, Instant now) {
        LocalDate first = LocalDate.ofInstant(start(period, now), ZoneOffset.UTC);
        LocalDate after = period == BudgetPeriod.Month ? first.plusMonths(1) : first.plusDays(1);
        return after.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
