package dev.apim.platform.openapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns the text a provider uploads into a JSON tree, refusing what must never reach the OpenAPI parser:
 * oversized input, text that is neither JSON nor YAML, YAML alias bombs, a top level that is not an
 * object, a missing or unsupported {@code openapi}/{@code swagger} version, and any {@code $ref} that
 * is not an internal {@code #/...} pointer (remote and file references are never fetched).
 *
 * <p>Stateless; every call builds its own YAML loader, and the JSON mapper is immutable after
 * construction, so this is safe to share between threads.
 */
final class DocumentReader {

    /** Largest definition accepted, in UTF-8 bytes. */
    static final int MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
    /** YAML anchors a document may reuse as collections (SnakeYAML's own default is 50). */
    private static final int MAX_YAML_ALIASES = 100;
    /** Nodes the YAML tree may expand to once aliases are copied out; stops "billion laughs". */
    private static final int MAX_TREE_NODES = 2_000_000;
    private static final int MAX_DEPTH = 300;
    private static final int MAX_DETAIL_LENGTH = 300;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Which parser a document is for. */
    enum Flavor { SWAGGER_2, OPENAPI_3 }

    /** A document that passed the guards, as a tree, with its declared version. */
    record Tree(ObjectNode root, Flavor flavor, String specVersion) {
        String toJson() {
            try {
                return JSON.writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw malformed("The definition could not be re-serialized: " + detail(e.getOriginalMessage()));
            }
        }
    }

    private DocumentReader() {
    }

    static Tree read(String document) {
        if (document == null || document.isBlank()) {
            throw malformed("The API definition is empty");
        }
        long bytes = utf8Length(document);
        if (bytes > MAX_DOCUMENT_BYTES) {
            throw malformed(String.format("The API definition is %d bytes; at most %d bytes (5 MiB) are accepted",
                    bytes, MAX_DOCUMENT_BYTES));
        }
        String text = document.charAt(0) == '\uFEFF' ? document.substring(1) : document; // byte order mark
        JsonNode node = text.stripLeading().startsWith("{") ? readJson(text) : readYaml(text);
        if (!(node instanceof ObjectNode root)) {
            throw malformed("The API definition is not an OpenAPI or Swagger document: its top level is "
                    + describe(node) + ", not an object");
        }
        coerceToText(root, "openapi");
        coerceToText(root, "swagger");
        if (root.get("info") instanceof ObjectNode info) {
            coerceToText(info, "version");
            coerceToText(info, "title");
        }
        Flavor flavor;
        String specVersion;
        if (root.hasNonNull("openapi")) {
            specVersion = root.get("openapi").asText();
            if (!specVersion.matches("3\\.[01](\\.\\d+)?(-[A-Za-z0-9.]+)?")) {
                throw malformed("OpenAPI version '" + specVersion + "' is not supported; supported are 2.0, 3.0.x and 3.1.x");
            }
            flavor = Flavor.OPENAPI_3;
        } else if (root.hasNonNull("swagger")) {
            specVersion = root.get("swagger").asText();
            if (!"2.0".equals(specVersion)) {
                throw malformed("Swagger version '" + specVersion + "' is not supported; supported are 2.0, 3.0.x and 3.1.x");
            }
            flavor = Flavor.SWAGGER_2;
        } else {
            throw malformed("The API definition is not an OpenAPI or Swagger document: it has no 'openapi' or 'swagger' version field");
        }
        List<String> external = new ArrayList<>();
        findExternalRefs(root, "", external);
        if (!external.isEmpty()) {
            throw malformed("The API definition refers to external documents, which are not fetched; only internal "
                    + "'#/...' references are allowed: " + OpenApiDefinitions.summarize(external));
        }
        return new Tree(root, flavor, specVersion);
    }

    static DomainException malformed(String description) {
        return new DomainException(DomainError.API_DEFINITION_MALFORMED, description);
    }

    private static JsonNode readJson(String document) {
        try {
            return JSON.readTree(document);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : String.format(" (line %d, column %d)", e.getLocation().getLineNr(), e.getLocation().getColumnNr());
            throw malformed("The API definition is not valid JSON" + where + ": " + detail(e.getOriginalMessage()));
        }
    }

    private static JsonNode readYaml(String document) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_YAML_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_DOCUMENT_BYTES + 1);
        DumperOptions dumperOptions = new DumperOptions();
        Yaml yaml = new Yaml(new TextPreservingConstructor(options), new Representer(dumperOptions), dumperOptions,
                options);
        Object loaded;
        try {
            loaded = yaml.load(document);
        } catch (YAMLException e) {
            throw malformed("The API definition is neither valid JSON nor valid YAML: " + detail(e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            throw malformed("The API definition could not be read as YAML: " + detail(String.valueOf(e.getMessage())));
        }
        return toTree(loaded, 0, new int[] {MAX_TREE_NODES});
    }

    /** Copies SnakeYAML's object graph into a Jackson tree, bounding depth and total size. */
    private static JsonNode toTree(Object value, int depth, int[] budget) {
        if (--budget[0] < 0) {
            throw malformed("The API definition expands to more than " + MAX_TREE_NODES
                    + " nodes (too many or nested YAML aliases)");
        }
        if (depth > MAX_DEPTH) {
            throw malformed("The API definition nests deeper than " + MAX_DEPTH + " levels");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = f.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                node.set(String.valueOf(e.getKey()), toTree(e.getValue(), depth + 1, budget));
            }
            return node;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode node = f.arrayNode();
            for (Object item : list) {
                node.add(toTree(item, depth + 1, budget));
            }
            return node;
        }
        if (value instanceof String s) {
            return f.textNode(s);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return f.numberNode(i);
        }
        if (value instanceof Long l) {
            return f.numberNode(l);
        }
        if (value instanceof BigInteger bi) {
            return f.numberNode(bi);
        }
        if (value instanceof BigDecimal bd) {
            return f.numberNode(bd);
        }
        if (value instanceof Double d) {
            return f.numberNode(d);
        }
        if (value instanceof byte[] bytes) {
            return f.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        return f.textNode(value.toString());
    }

    /**
     * SnakeYAML's safe constructor, except that floats keep their written digits ({@code version: 1.10}
     * stays "1.10", not 1.1) and timestamps stay the text the provider wrote.
     */
    private static final class TextPreservingConstructor extends SafeConstructor {
        TextPreservingConstructor(LoaderOptions options) {
            super(options);
            AbstractConstruct plainFloat = new ConstructYamlFloat();
            this.yamlConstructors.put(Tag.FLOAT, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String text = constructScalar((ScalarNode) node).replace("_", "");
                    try {
                        return new BigDecimal(text);
                    } catch (NumberFormatException e) {
                        return plainFloat.construct(node);
                    }
                }
            });
            this.yamlConstructors.put(Tag.TIMESTAMP, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return constructScalar((ScalarNode) node);
                }
            });
        }
    }

    /** Unquoted YAML such as {@code swagger: 2.0} or {@code version: 1.0} is a number; these fields are text. */
    private static void coerceToText(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && value.isNumber()) {
            node.put(field, value.isBigDecimal() ? value.decimalValue().toString() : value.asText());
        }
    }

    /**
     * Collects every {@code $ref} whose value is not an internal JSON pointer. Literal example values and
     * vendor extensions are data, not references, and are skipped (unless they are schema property names).
     */
    private static void findExternalRefs(JsonNode node, String path, List<String> found) {
        if (node instanceof ObjectNode object) {
            boolean propertyMap = path.endsWith("/properties") || path.endsWith("/patternProperties");
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                String key = e.getKey();
                JsonNode value = e.getValue();
                if (!propertyMap && ("$ref".equals(key) || "$dynamicRef".equals(key)) && value.isTextual()) {
                    String ref = value.asText().trim();
                    if (!ref.startsWith("#")) {
                        found.add("'" + ref + "' at " + (path.isEmpty() ? "/" : path));
                    }
                    continue;
                }
                if (!propertyMap && ("example".equals(key) || key.startsWith("x-"))) {
                    continue;
                }
                findExternalRefs(value, path + "/" + key.replace("~", "~0").replace("/", "~1"), found);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                findExternalRefs(array.get(i), path + "/" + i, found);
            }
        }
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "empty";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "a plain value ('" + detail(node.asText()) + "')";
    }

    static String detail(String message) {
        if (message == null) {
            return "unknown error";
        }
        String oneLine = message.replaceAll("\\s+", " ").trim();
        return oneLine.length() > MAX_DETAIL_LENGTH ? oneLine.substring(0, MAX_DETAIL_LENGTH) + "..." : oneLine;
    }

    private static long utf8Length(String s) {
        if (s.length() > MAX_DOCUMENT_BYTES) {
            return s.length(); // already too long in chars, hence in bytes
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
