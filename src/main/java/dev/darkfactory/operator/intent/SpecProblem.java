package dev.darkfactory.operator.intent;

/**
 * Something wrong with an intent that the schema could not reject: the field at fault, a CamelCase
 * reason for the condition, and a message that starts with the field.
 */
public record SpecProblem(String field, String reason, String detail) {

    public String message() {
        return field + ": " + detail;
    }
}
