package dev.darkfactory.operator.api.v1alpha1;

/** The window a ModelBudget counts spend in: a UTC calendar day or month. */
public enum BudgetPeriod {
    Day,
    Month
}
