package dev.darkfactory.operator.gateway;

import java.io.IOException;

/**
 * Where the gateway keeps what each run used, so that budgets hold across calls, replicas and
 * restarts. In the cluster: a ConfigMap per run (ConfigMapUsageLedger, docs/gateway.md says why).
 */
public interface UsageLedger {

    /** All usage of the run so far, of every replica. */
    RunUsage usage(RunRef run) throws IOException;

    /**
     * Adds one call's tokens to the attempt. A failure to persist keeps the count and retries with
     * the next call.
     */
    void record(RunRef run, int attempt, TokenCount tokens) throws IOException;

    /**
     * Notes that a call of the attempt was refused for the run's budget, for the operator to end
     * the run with a reason naming that budget.
     */
    void refused(RunRef run, BudgetRefusal refusal) throws IOException;
}
