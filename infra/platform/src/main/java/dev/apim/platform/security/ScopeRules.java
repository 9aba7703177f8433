package dev.apim.platform.security;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The scopes each management operation needs (classpath {@value #RESOURCE}): a rule is an HTTP method, a
 * Spring {@link PathPattern} and the scopes of which the caller must hold at least one (none: any
 * authenticated caller). A request matches the most specific rule of its method; HEAD is checked as GET.
 */
public final class ScopeRules {

    public static final String RESOURCE = "META-INF/apim/management-scopes.tsv";

    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.PATCH);

    /** One operation's requirement. */
    public record Rule(HttpMethod method, PathPattern pattern, Set<String> scopes) {

        public Rule {
            scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
        }

        /** Whether a caller holding these scopes may call the operation. */
        public boolean permits(Set<String> held) {
            return scopes.isEmpty() || scopes.stream().anyMatch(held::contains);
        }

        /** The accepted scopes in the order of the rules file, space-separated (as in an OAuth2 scope list). */
        public String scopeList() {
            return String.join(" ", scopes);
        }
    }

    private final List<Rule> rules;

    private ScopeRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules shipped with the product, checked against {@link RoleScopes#defaults()}. */
    public static ScopeRules defaults() {
        return load(RESOURCE, RoleScopes.defaults());
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rule for a request, or empty when none covers it (such a request is to be refused). */
    public Optional<Rule> match(HttpMethod method, PathContainer path) {
        HttpMethod effective = HttpMethod.HEAD.equals(method) ? HttpMethod.GET : method;
        return rules.stream()
                .filter(rule -> rule.method().equals(effective) && rule.pattern().matches(path))
                .min(Comparator.comparing(Rule::pattern, PathPattern.SPECIFICITY_COMPARATOR));
    }

    public Optional<Rule> match(HttpMethod method, String path) {
        return match(method, PathContainer.parsePath(path));
    }

    public static ScopeRules load(String resource, RoleScopes known) {
        try (InputStream in = ScopeRules.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + resource);
            }
            return parse(resource, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), known);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses rules from text in the format of {@value #RESOURCE} (used by tests). */
    public static ScopeRules parse(String text, RoleScopes known) {
        try {
            return parse("rules", new BufferedReader(new StringReader(text)), known);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ScopeRules parse(String source, BufferedReader reader, RoleScopes known) throws IOException {
        PathPatternParser parser = new PathPatternParser();
        List<Rule> rules = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\s+");
            if (fields.length < 3) {
                throw invalid(source, number, "expected '<METHOD> <path pattern> <scope ...|->'");
            }
            HttpMethod method = HttpMethod.valueOf(fields[0]);
            if (!METHODS.contains(method)) {
                throw invalid(source, number, "method must be one of " + METHODS);
            }
            if (!fields[1].startsWith("/")) {
                throw invalid(source, number, "the path pattern must start with '/'");
            }
            PathPattern pattern;
            try {
                pattern = parser.parse(fields[1]);
            } catch (PatternParseException e) {
                throw invalid(source, number, "bad path pattern: " + e.getMessage());
            }
            if (!seen.add(method + " " + normalized(pattern.getPatternString()))) {
                throw invalid(source, number, method + " " + fields[1] + " has a rule already");
            }
            Set<String> scopes = new LinkedHashSet<>();
            if (!(fields.length == 3 && fields[2].equals("-"))) {
                for (int i = 2; i < fields.length; i++) {
                    if (!known.isKnown(fields[i])) {
                        throw invalid(source, number, "unknown scope '" + fields[i] + "'");
                    }
                    scopes.add(fields[i]);
                }
            }
            rules.add(new Rule(method, pattern, scopes));
        }
        return new ScopeRules(rules);
    }

    /** A path template with its variable names erased ({@code /apis/{apiId}} becomes {@code /apis/{}}). */
    public static String normalized(String template) {
        return template.replaceAll("\\{[^}]*}", "{}");
    }

    private static IllegalStateException invalid(String source, int line, String problem) {
        return new IllegalStateException(source + " line " + line + ": " + problem);
    }
}
