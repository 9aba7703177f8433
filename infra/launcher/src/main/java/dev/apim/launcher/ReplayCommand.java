package dev.apim.launcher;

import dev.apim.query.rebuild.ProjectionRebuilds;
import dev.apim.query.rebuild.RebuildStatus;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code java -jar apim.jar replay --projection apimgtdb [--projection ...]}: rebuilds projections from the event
 * log (see {@link ProjectionRebuilds}) in the node's Spring context without web servers and with roles
 * {@code publisher} (+ {@code trafficmanager} for {@code broadcast}): the node's database and Redis as configured
 * (embedded ones under {@code apim.data-dir} when none is). Not lazily initialised: command-side interceptors must be
 * wired even though no command is expected (on an empty event store the admin bootstrap still runs). Progress bar on
 * the terminal; logging at WARN unless {@code --logging.level.root=...} says otherwise.
 * Works on a database whose read-model schemas were dropped: Flyway recreates them at start, the rebuild fills
 * a fresh copy and switches it in. Other arguments of the form {@code --key=value} are Spring properties (e.g.
 * {@code --apim.db.url=...}); the usual environment variables ({@code APIM_DB_URL}) apply too.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rebuilds projections from the event log into fresh tables and switches them in.",
        footer = "Exit codes: 0 done, 1 a rebuild failed, 2 bad arguments.")
public final class ReplayCommand implements Callable<Integer> {

    /** The projections a replay can rebuild. */
    public static final List<String> PROJECTIONS = List.of("apimgtdb", "shareddb", "broadcast");
    private static final Pattern SPRING_ARGUMENT = Pattern.compile("--[a-zA-Z][a-zA-Z0-9._\\[\\]-]*=.*");
    private static final int BAR_WIDTH = 30;

    @Spec
    private CommandSpec spec;

    @Option(names = "--projection", required = true, paramLabel = "NAME",
            description = "apimgtdb, shareddb or broadcast; repeat for several (run one after the other)")
    private List<String> projections = new ArrayList<>();

    @CommandLine.Unmatched
    private List<String> springArguments = new ArrayList<>();

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new ReplayCommand());
        line.setUnmatchedArgumentsAllowed(true);
        line.setOut(out);
        line.setErr(err);
        return line.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        Set<String> names = new LinkedHashSet<>();
        for (String p : projections) {
            if (!PROJECTIONS.contains(p)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "Unknown projection '" + p + "' (known: " + String.join(", ", PROJECTIONS) + ")");
            }
            names.add(p);
        }
        for (String a : springArguments) {
            if (!SPRING_ARGUMENT.matcher(a).matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Unknown argument '" + a + "'");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        String roles = names.contains("broadcast") ? "publisher,trafficmanager" : "publisher";
        List<String> arguments = new ArrayList<>();
        arguments.add("--apim.roles=" + roles);
        arguments.add("--logging.level.root=WARN");
        arguments.add("--logging.level.dev.apim=WARN");
        arguments.add("--logging.level.org.axonframework=WARN");
        arguments.addAll(springArguments);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(ApimApplication.class);
        try (ConfigurableApplicationContext context = OwnNettyResources.apply(builder)
                .web(WebApplicationType.NONE)
                .run(arguments.toArray(String[]::new))) {
            ProjectionRebuilds rebuilds = context.getBean(ProjectionRebuilds.class);
            boolean failed = false;
            for (String name : names) {
                RebuildStatus status;
                try {
                    status = rebuilds.start(name);
                } catch (ProjectionRebuilds.RebuildRunningException e) {
                    out.println(name + ": " + e.getMessage() + " (on this or another node)");
                    failed = true;
                    continue;
                }
                while (!status.finished()) {
                    bar(out, status);
                    status = rebuilds.await(name, Duration.ofMillis(250));
                }
                bar(out, status);
                out.println();
                double seconds = Duration.between(status.startedAt(), status.finishedAt()).toMillis() / 1000.0;
                if ("COMPLETED".equals(status.state())) {
                    out.printf("%s: %d events in %.1f s (%.0f events/s)%n", name, status.eventsDone(), seconds,
                            seconds > 0 ? status.eventsDone() / seconds : 0);
                } else {
                    out.printf("%s: %s after %.1f s: %s%n", name, status.state(), seconds, status.message());
                    failed = true;
                }
                out.flush();
            }
            return failed ? 1 : 0;
        }
    }

    /** One carriage-return line: name, bar, percentage, events, rate, ETA. */
    static void bar(PrintWriter out, RebuildStatus s) {
        double fraction = s.eventsTotal() <= 0 ? (s.finished() ? 1 : 0)
                : Math.min(1, (double) s.eventsDone() / s.eventsTotal());
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        out.printf("\r%-9s [%s%s] %3d%% %d/%d events %.0f/s ETA %s   ", s.name(), "#".repeat(filled),
                "-".repeat(BAR_WIDTH - filled), Math.round(fraction * 100), s.eventsDone(), s.eventsTotal(),
                s.eventsPerSecond(), s.etaSeconds() == null ? "?" : s.etaSeconds() + "s");
        out.flush();
    }
}
