package dev.darkfactory.operator.chart;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * RBAC flattened to single permissions, so that what a chart grants and what the operator needs
 * compare as sets. A null namespace means cluster-wide; a null name means any object.
 */
final class GrantedPermissions {

    record Permission(
            String namespace, String apiGroup, String resource, String verb, String resourceName) {}

    /** One null: cluster-wide where a namespace is meant, any object where a name is. */
    private static final List<String> ANY = Collections.singletonList(null);

    private GrantedPermissions() {}

    /**
     * What the rendered chart grants to the ServiceAccount {@code namespace/name}, through its
     * bindings.
     */
    static Set<Permission> grantedBy(RenderedChart chart, String namespace, String serviceAccount) {
        Set<Permission> granted = new HashSet<>();
        List<ClusterRole> clusterRoles = chart.all(ClusterRole.class);
        List<Role> roles = chart.all(Role.class);
        for (ClusterRoleBinding binding : chart.all(ClusterRoleBinding.class)) {
            if (binds(binding.getSubjects(), namespace, serviceAccount)) {
                ClusterRole role =
                        clusterRoles.stream()
                                .filter(
                                        r ->
                                                r.getMetadata()
                                                        .getName()
                                                        .equals(binding.getRoleRef().getName()))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        "ClusterRoleBinding to a ClusterRole the chart lacks: "
                                                                + binding.getRoleRef()));
                granted.addAll(flatten(null, role.getRules()));
            }
        }
        for (RoleBinding binding : chart.all(RoleBinding.class)) {
            if (binds(binding.getSubjects(), namespace, serviceAccount)) {
                String at = binding.getMetadata().getNamespace();
                Role role =
                        roles.stream()
                                .filter(
                                        r ->
                                                r.getMetadata()
                                                                .getName()
                                                                .equals(
                                                                        binding.getRoleRef()
                                                                                .getName())
                                                        && r.getMetadata()
                                                                .getNamespace()
                                                                .equals(at))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        "RoleBinding to a Role the chart lacks: "
                                                                + binding.getRoleRef()));
                granted.addAll(flatten(at, role.getRules()));
            }
        }
        return granted;
    }

    /** What {@link OperatorPermissions#EXPECTED} asks for, for one install of the chart. */
    static Set<Permission> expected(
            String releaseNamespace, List<String> watchNamespaces, String leaseName) {
        Set<Permission> expected = new HashSet<>();
        for (OperatorPermissions.Grant grant : OperatorPermissions.EXPECTED) {
            List<String> namespaces =
                    switch (grant.scope()) {
                        case CLUSTER -> ANY;
                        case RELEASE_NAMESPACE -> List.of(releaseNamespace);
                        case WATCHED_NAMESPACES ->
                                watchNamespaces.isEmpty() ? ANY : watchNamespaces;
                    };
            String name =
                    OperatorPermissions.LEASE.equals(grant.resourceName())
                            ? leaseName
                            : grant.resourceName();
            for (String namespace : namespaces) {
                for (String verb : grant.verbs()) {
                    expected.add(
                            new Permission(
                                    namespace, grant.apiGroup(), grant.resource(), verb, name));
                }
            }
        }
        return expected;
    }

    private static boolean binds(List<Subject> subjects, String namespace, String serviceAccount) {
        return subjects.stream()
                .anyMatch(
                        s ->
                                "ServiceAccount".equals(s.getKind())
                                        && serviceAccount.equals(s.getName())
                                        && namespace.equals(s.getNamespace()));
    }

    private static Set<Permission> flatten(String namespace, List<PolicyRule> rules) {
        Set<Permission> permissions = new HashSet<>();
        for (PolicyRule rule : rules) {
            List<String> names = rule.getResourceNames().isEmpty() ? ANY : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        for (String name : names) {
                            permissions.add(new Permission(namespace, group, resource, verb, name));
                        }
                    }
                }
            }
        }
        return permissions;
    }
}
