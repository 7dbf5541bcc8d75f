package dev.darkfactory.operator.gateway;

/** A FactoryRun by namespace, name and UID. */
public record RunRef(String namespace, String name, String uid) {

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
