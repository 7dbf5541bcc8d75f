package dev.darkfactory.operator.workload;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The restricted Pod Security profile, applied to every pod the operator makes: generator, tester
 * and app. Non-root, no privilege escalation, no capabilities, the runtime's seccomp.
 */
public final class PodSecurity {

    /**
     * The user every station and app runs as unless the image says otherwise (the distroless
     * "nonroot").
     */
    public static final long NON_ROOT_USER = 65532;

    private PodSecurity() {}

    public static PodSecurityContext pod() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(NON_ROOT_USER)
                .withRunAsGroup(NON_ROOT_USER)
                .withFsGroup(NON_ROOT_USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    public static SecurityContext container() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withPrivileged(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withRunAsNonRoot(true)
                .build();
    }
}
