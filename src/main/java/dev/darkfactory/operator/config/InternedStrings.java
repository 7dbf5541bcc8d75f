package dev.darkfactory.operator.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * The Kubernetes client reads every short text value as one shared instance. The informers keep
 * every intent, run and pod, and most of their texts repeat from object to object: images, pull
 * policies, mount paths, variable names, quantities, label values, the intent's name and UID in
 * each of its runs and pods. Strings were about a third of the heap per intent (make bench's
 * histogram); the JVM's string table holds its entries weakly, so an interned text goes once no
 * object uses it.
 */
@Singleton
public class InternedStrings implements KubernetesClientObjectMapperCustomizer {

    /** Longer texts (messages, the intent's own prose) are seldom the same: not worth a lookup. */
    static final int LONGEST = 256;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(
                new SimpleModule("interned-strings")
                        .addDeserializer(String.class, new Deserializer()));
    }

    static final class Deserializer extends StdScalarDeserializer<String> {

        Deserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            return value != null && value.length() <= LONGEST ? value.intern() : value;
        }
    }
}
