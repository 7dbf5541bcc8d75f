package dev.darkfactory.operator.gateway;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateway recorded of one run, as the operator reads it from the run's usage ConfigMap:
 * the tokens of each attempt, and whether a call was refused for the run's budget. No ConfigMap yet
 * means nothing used.
 */
public record GatewayUsage(RunUsage usage, Optional<BudgetRefusal> refusal) {

    public static final GatewayUsage NONE = new GatewayUsage(RunUsage.NONE, Optional.empty());

    public static GatewayUsage of(ConfigMap records) {
        Map<String, String> data = records == null ? null : records.getData();
        return new GatewayUsage(UsageRecords.parse(data), UsageRecords.refusal(data));
    }
}
