package dev.darkfactory.operator.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs an Argo CD health script the way Argo CD runs a custom one (util/lua/lua.go): the object
 * becomes the global {@code obj} as nested tables (maps keyed by field, arrays from 1, numbers as
 * Lua numbers, null fields absent), only the base, package and table libraries are open (no string
 * library), and the script must return a table whose status is one Argo CD knows.
 */
final class ArgoCdHealthScript {

    /** What Argo CD shows: the health status and its message. */
    record Health(String status, String message) {}

    private static final Set<String> STATUSES =
            Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

    private final String name;
    private final String source;

    private ArgoCdHealthScript(String name, String source) {
        this.name = name;
        this.source = source;
    }

    static ArgoCdHealthScript load(Path file) {
        try {
            return new ArgoCdHealthScript(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ArgoCdHealthScript of(String name, String source) {
        return new ArgoCdHealthScript(name, source);
    }

    String source() {
        return source;
    }

    Health healthOf(HasMetadata object) {
        Globals globals = new Globals();
        globals.load(new JseBaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        LoadState.install(globals);
        LuaC.install(globals);
        globals.set("obj", toLua(Serialization.jsonMapper().valueToTree(object)));

        LuaValue result = globals.load(source, name).call();
        if (!result.istable()) {
            throw new AssertionError(
                    name + " returned " + result.typename() + ", Argo CD expects a table");
        }
        String status = result.get("status").optjstring(null);
        if (!STATUSES.contains(status)) {
            throw new AssertionError(
                    name + " returned status " + status + ", which Argo CD turns into Unknown");
        }
        return new Health(status, result.get("message").optjstring(null));
    }

    private static LuaValue toLua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                table.set(field.getKey(), toLua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        if (node.isTextual()) {
            return LuaValue.valueOf(node.asText());
        }
        return LuaValue.NIL;
    }
}
