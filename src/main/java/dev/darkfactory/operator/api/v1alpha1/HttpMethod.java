package dev.darkfactory.operator.api.v1alpha1;

/** HTTP methods an acceptance check may use. */
public enum HttpMethod {
    GET,
    POST,
    PUT,
    PATCH,
    DELETE,
    HEAD,
    OPTIONS
}
