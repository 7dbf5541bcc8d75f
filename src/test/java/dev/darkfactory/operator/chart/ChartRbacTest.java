package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.chart.GrantedPermissions.Permission;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The RBAC the chart grants is exactly {@link OperatorPermissions}: every kind the operator watches
 * or writes has the verbs it needs, and nothing more, whichever namespaces it watches.
 * ChartPermissionsOnApiServerTest shows on a real API server that those permissions are enough.
 */
class ChartRbacTest {

    private static final String RELEASE = "df";
    private static final String NAMESPACE = "df-system";
    private static final String SERVICE_ACCOUNT = "df-darkfactory";
    private static final String LEASE = "df-darkfactory-leader";

    @Test
    void watchingEveryNamespaceGrantsExactlyWhatTheOperatorUsesClusterWide() {
        RenderedChart chart = HelmChart.template(RELEASE, NAMESPACE, Map.of());

        Set<Permission> granted = GrantedPermissions.grantedBy(chart, NAMESPACE, SERVICE_ACCOUNT);

        assertThat(granted)
                .containsExactlyInAnyOrderElementsOf(
                        GrantedPermissions.expected(NAMESPACE, List.of(), LEASE));
    }

    @Test
    void watchingListedNamespacesGrantsTheirPartInThoseNamespacesOnly() {
        List<String> watched = List.of("team-a", "team-b");
        RenderedChart chart =
                HelmChart.template(RELEASE, NAMESPACE, Map.of("watchNamespaces", watched));

        Set<Permission> granted = GrantedPermissions.grantedBy(chart, NAMESPACE, SERVICE_ACCOUNT);

        assertThat(granted)
                .containsExactlyInAnyOrderElementsOf(
                        GrantedPermissions.expected(NAMESPACE, watched, LEASE));
        assertThat(granted)
                .filteredOn(p -> p.namespace() == null)
                .as("cluster-wide, only the cluster-scoped GeneratorClasses")
                .allMatch(p -> p.resource().equals("generatorclasses"));
    }

    @Test
    void noRuleUsesAWildcard() {
        RenderedChart chart =
                HelmChart.template(
                        RELEASE, NAMESPACE, Map.of("watchNamespaces", List.of("team-a")));
        List<PolicyRule> rules = new ArrayList<>();
        chart.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        chart.all(Role.class).forEach(r -> rules.addAll(r.getRules()));

        assertThat(rules)
                .isNotEmpty()
                .allSatisfy(
                        rule -> {
                            assertThat(rule.getApiGroups()).doesNotContain("*");
                            assertThat(rule.getResources())
                                    .doesNotContain("*")
                                    .noneMatch(r -> r.endsWith("/*"));
                            assertThat(rule.getVerbs()).doesNotContain("*");
                            assertThat(rule.getNonResourceURLs()).isEmpty();
                        });
    }
}
