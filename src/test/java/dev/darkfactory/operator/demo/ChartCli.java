package dev.darkfactory.operator.demo;

import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The two Helm verbs {@code make demo} needs, for machines without a helm binary (Debian ships
 * none): the chart installed or upgraded with helm-java, the real Helm engine the chart tests and
 * the end-to-end suite use. hack/demo.sh calls it only when {@code helm} is not on the PATH.
 *
 * <pre>
 *   ChartCli install   RELEASE NAMESPACE CHART VALUES.yaml   (helm upgrade --install --create-namespace --wait)
 *   ChartCli uninstall RELEASE NAMESPACE                     (helm uninstall; no error when absent)
 * </pre>
 *
 * The kubeconfig is $KUBECONFIG or ~/.kube/config, as for kubectl.
 */
public final class ChartCli {

    private ChartCli() {}

    public static void main(String[] args) {
        if (args.length == 5 && args[0].equals("install")) {
            new Helm(Path.of(args[3]))
                    .upgrade()
                    .install()
                    .withName(args[1])
                    .withNamespace(args[2])
                    .createNamespace()
                    .withKubeConfig(kubeconfig())
                    .withValuesFile(Path.of(args[4]))
                    // Kubernetes before 1.25 rejects the CRDs' CEL rules in the chart's OpenAPI
                    // check.
                    .disableOpenApiValidation()
                    .waitReady()
                    // The first pull of the operator image can be slow; helm's default is 5
                    // minutes.
                    .withTimeout(600)
                    .call();
        } else if (args.length == 3 && args[0].equals("uninstall")) {
            try {
                new Helm(Path.of("."))
                        .uninstall(args[1])
                        .withNamespace(args[2])
                        .withKubeConfig(kubeconfig())
                        .call();
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).contains("not found")) {
                    throw e;
                }
            }
        } else {
            System.err.println(
                    "usage: ChartCli install RELEASE NAMESPACE CHART VALUES | uninstall RELEASE NAMESPACE");
            System.exit(2);
        }
    }

    private static Path kubeconfig() {
        Path path =
                Optional.ofNullable(System.getenv("KUBECONFIG"))
                        .filter(v -> !v.isBlank())
                        .map(Path::of)
                        .orElse(Path.of(System.getProperty("user.home"), ".kube", "config"));
        if (!Files.exists(path)) {
            throw new IllegalStateException("no kubeconfig at " + path + "; set KUBECONFIG");
        }
        return path;
    }
}
