/**
 * The public API of Dark Factory: the custom resources of group {@code darkfactory.dev}, version
 * {@code v1alpha1}. Every field carries a description (it becomes {@code kubectl explain}) and the
 * schema validation the API server can enforce; the CRDs under {@code crds/} are generated from
 * here.
 */
package dev.darkfactory.operator.api.v1alpha1;
