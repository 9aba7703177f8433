package dev.apim.launcher.bench;

import dev.apim.domain.application.ApplicationDetails;
import dev.apim.domain.application.Requester;
import dev.apim.domain.application.command.CreateApplication;
import dev.apim.domain.application.command.UpdateApplication;
import dev.apim.eventstore.AuditMetadata;
import dev.apim.launcher.ApimApplication;
import dev.apim.query.progress.TokenProgress;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Write-path throughput and projection lag against real PostgreSQL, in one JVM (run by bench/lag/run.sh, never by
 * the test suite). Phases, each on a fresh {@code apim_lag_*} database:
 * <ol>
 *   <li>{@code gateway}: C threads send CreateApplication / UpdateApplication (a new application every other
 *   command, else an update of one of the thread's own) through Axon's command gateway in-process, as
 *   {@code CommandDispatcher} does minus HTTP: handler, name claim, append, receipt, commit. Closed loop.</li>
 *   <li>{@code rest}: C threads POST /api/am/devportal/v3/applications over HTTP (Basic auth), which answers only
 *   once the read model shows the application (read-your-writes).</li>
 *   <li>{@code lag}: an open-loop steady rate through the gateway; lag = projection batch commit time − the
 *   event's timestamp (set when the command handler applied it, i.e. before the append committed), recorded by a
 *   handler interceptor on the {@code apimgtdb} processor. {@code lag2}: the same with two nodes, the projections
 *   on node B and the writes on node A (the LISTEN/NOTIFY path); {@code lag2-nolisten}: two nodes without
 *   LISTEN/NOTIFY (Axon's 1 s fetch delay only), for comparison.</li>
 * </ol>
 * Arguments: {@code phase[,phase...] concurrency seconds rate}. Environment: APIM_BENCH_DB_URL (an admin JDBC URL,
 * default the local postgres database), APIM_BENCH_REDIS_URL.
 */
public final class WritePathBenchmark {

    private static final String ADMIN_PASSWORD = "bench-Admin-Secret-42";
    private static final String KM_ISSUER = "https://km.apim.bench:9443/oauth2/token";
    private static final String KM_MASTER_KEY = "bench-keymanager-master-key-0123456789";
    private static final ConcurrentLinkedQueue<Long> LAGS = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean RECORDING = new AtomicBoolean();

    private WritePathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("axoniq.update-checker.disabled", "true");
        List<String> phases = List.of(args.length > 0 ? args[0].split(",") : new String[]{"gateway", "rest", "lag", "lag2"});
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        String adminUrl = env("APIM_BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        String redis = env("APIM_BENCH_REDIS_URL", "redis://127.0.0.1:6379");
        List<String> table = new ArrayList<>();
        table.add(String.format("%-14s %6s %8s %10s %9s %9s %9s %s", "phase", "conc", "count", "per s", "p50 ms",
                "p99 ms", "max ms", "notes"));
        for (String phase : phases) {
            String db = createDatabase(adminUrl);
            try {
                table.add(switch (phase) {
                    case "gateway" -> gateway(db, redis, concurrency, seconds);
                    case "rest" -> rest(db, redis, concurrency, seconds);
                    case "lag" -> lag(db, redis, rate, seconds, false, true);
                    case "lag2" -> lag(db, redis, rate, seconds, true, true);
                    case "lag2-nolisten" -> lag(db, redis, rate, seconds, true, false);
                    default -> throw new IllegalArgumentException("unknown phase " + phase);
                });
            } finally {
                dropDatabase(adminUrl, db);
            }
            System.out.println("\n==== " + phase + " done");
        }
        System.out.println();
        table.forEach(System.out::println);
        System.exit(0);
    }

    // ---- phases ----

    private static String gateway(String db, String redis, int concurrency, int seconds) throws Exception {
        try (ConfigurableApplicationContext node = start(db, redis, "a", 21443, true)) {
            CommandGateway commands = node.getBean(CommandGateway.class);
            closedLoop(concurrency, WARMUP_SECONDS, commands);  // warm-up (JIT)
            CpuMeter cpu = CpuMeter.start(db);
            SqlLog sql = SqlLog.start(db);
            LOOP_CPU.set(0);
            Result r = closedLoop(concurrency, seconds, commands);
            String threads = cpu.threads(r.count()) + String.format(" command threads %.0f us",
                    LOOP_CPU.get() / 1e3 / Math.max(1, r.count()));
            String cost = cpu.stop(r.count()) + sql.stop(r.count());
            return r.row("gateway", concurrency, "in-process CommandGateway, create/update application; " + cost)
                    + "\n" + r.split("  gateway: creates", CREATES) + "\n" + r.split("  gateway: updates", UPDATES)
                    + "\n" + threads;
        }
    }

    private static String rest(String db, String redis, int concurrency, int seconds) throws Exception {
        try (ConfigurableApplicationContext node = start(db, redis, "a", 21443, true)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            URI uri = URI.create("http://127.0.0.1:21443/api/am/devportal/v3/applications");
            TokenProgress progress = node.getBean(TokenProgress.class);
            Runnable warm = () -> timedLoop(concurrency, 10, () -> post(http, uri, auth));
            warm.run();
            long readsBefore = progress.tokenReads();
            Result r = timedLoop(concurrency, seconds, () -> post(http, uri, auth));
            long reads = progress.tokenReads() - readsBefore;
            return r.row("rest", concurrency, String.format("POST applications, waits for read model; %d token reads (%.2f/request)",
                    reads, r.count() == 0 ? 0.0 : (double) reads / r.count()));
        }
    }

    private static String lag(String db, String redis, int rate, int seconds, boolean twoNodes, boolean listen)
            throws Exception {
        ConfigurableApplicationContext projector = null;
        ConfigurableApplicationContext writer = null;
        try {
            if (twoNodes) {
                projector = start(db, redis, "b", 21444, listen);   // first: owns the projections' segments
                writer = start(db, redis, "a", 21443, listen);
            } else {
                writer = start(db, redis, "a", 21443, listen);
            }
            CommandGateway commands = writer.getBean(CommandGateway.class);
            openLoop(commands, rate, 10);  // warm-up (JIT)
            LAGS.clear();
            RECORDING.set(true);
            long sent = openLoop(commands, rate, seconds);
            Thread.sleep(twoNodes && !listen ? 2500 : 500);
            RECORDING.set(false);
            long[] lags = LAGS.stream().mapToLong(Long::longValue).sorted().toArray();
            String name = twoNodes ? (listen ? "lag2" : "lag2-nolisten") : "lag";
            return new Result(lags, seconds * 1_000_000_000L).row(name, 0,
                    String.format("%d commands/s offered (%d sent); event timestamp -> projection commit%s", rate, sent,
                            twoNodes ? ", written on node A, projected on node B" : ""));
        } finally {
            if (writer != null) {
                writer.close();
            }
            if (projector != null) {
                projector.close();
            }
        }
    }

    // ---- load ----

    /** One thread's commands: alternately a new application and an update of one it created. */
    private static Result closedLoop(int concurrency, int seconds, CommandGateway commands) throws Exception {
        CREATES.clear();
        UPDATES.clear();
        return timedLoopPerThread(concurrency, seconds, () -> {
            List<String> mine = new ArrayList<>();
            long[] n = {0};
            return () -> {
                long t0 = System.nanoTime();
                if (n[0]++ % 2 == 0 || mine.isEmpty()) {
                    mine.add(create(commands));
                    CREATES.add(System.nanoTime() - t0);
                } else {
                    update(commands, mine.get((int) (n[0] % mine.size())));
                    UPDATES.add(System.nanoTime() - t0);
                }
            };
        });
    }

    /** Warm-up of the gateway phase: APIM_BENCH_WARMUP seconds (default 10); JIT compiling takes longer under load. */
    private static final int WARMUP_SECONDS = Integer.parseInt(env("APIM_BENCH_WARMUP", "10"));
    /** CPU time of the closed loop's own threads (the command threads: handler, JDBC, serialization), ns. */
    private static final AtomicLong LOOP_CPU = new AtomicLong();
    private static final ConcurrentLinkedQueue<Long> CREATES = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Long> UPDATES = new ConcurrentLinkedQueue<>();

    /**
     * CPU time over the measured window, per command: this JVM (all its threads: command threads, the node's
     * processors, GC, JIT) and the PostgreSQL processes that serve it (the database's backends, plus the server's
     * own background processes: WAL writer, checkpointer...). From /proc/[pid]/stat (utime + stime), so the figure
     * does not depend on how busy the machine is with other work; other databases' backends are not counted.
     */
    private record CpuMeter(String db, long jvmNanos, Map<Integer, Long> pgTicks, long wallNanos,
                            Map<String, Long> threadStart) {
        static CpuMeter start(String db) {
            return new CpuMeter(db, jvmCpuNanos(), pgTicks(db), System.nanoTime(), threadTicks());
        }

        /** JVM CPU by thread name (digits folded), ticks of 10 ms, from /proc/self/task; threads that ended are lost. */
        private static Map<String, Long> threadTicks() {
            Map<String, Long> ticks = new java.util.HashMap<>();
            try (var tasks = Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                tasks.forEach(task -> {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                                .replaceAll("[0-9]+", "N");
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.merge(task.getFileName() + " " + name,
                                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                    } catch (java.io.IOException | RuntimeException gone) {
                        // the thread ended
                    }
                });
            } catch (java.io.IOException e) {
                return ticks;
            }
            return ticks;
        }

        String threads(int commands) {
            Map<String, Long> after = threadTicks();
            Map<String, Long> byName = new java.util.HashMap<>();
            after.forEach((k, v) -> byName.merge(k.substring(k.indexOf(' ') + 1),
                    v - threadStart.getOrDefault(k, 0L), Long::sum));
            StringBuilder out = new StringBuilder("  JVM CPU per command by thread:");
            byName.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> out.append(String.format(" %s %.0f us;", e.getKey(),
                            e.getValue() * 10_000.0 / Math.max(1, commands))));
            return out.toString();
        }

        String stop(int commands) {
            long jvm = jvmCpuNanos() - jvmNanos;
            Map<Integer, Long> after = pgTicks(db);
            long ticks = 0;
            for (var e : after.entrySet()) {
                ticks += e.getValue() - pgTicks.getOrDefault(e.getKey(), 0L);
            }
            double wall = (System.nanoTime() - wallNanos) / 1e9;
            long pgNanos = ticks * 10_000_000L; // USER_HZ = 100
            return String.format("CPU per command: JVM %.0f us, PostgreSQL %.0f us (JVM %.2f cores, PG %.2f cores)",
                    commands == 0 ? 0 : jvm / 1e3 / commands, commands == 0 ? 0 : pgNanos / 1e3 / commands,
                    jvm / 1e9 / wall, pgNanos / 1e9 / wall);
        }

        private static long jvmCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private static Map<Integer, Long> pgTicks(String dbUrl) {
            String name = dbName(dbUrl);
            Map<Integer, Long> ticks = new java.util.HashMap<>();
            try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE (datname = '" + name
                         + "' AND pid <> pg_backend_pid()) OR backend_type <> 'client backend'")) {
                while (rs.next()) {
                    int pid = rs.getInt(1);
                    try {
                        String stat = Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12])); // utime, stime
                    } catch (java.io.IOException | RuntimeException gone) {
                        // exited, or PostgreSQL on another host: not counted
                    }
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return ticks;
        }
    }

    /**
     * With APIM_BENCH_SQL_LOG=path-to-the-server-log (a local server; the database was created with
     * log_statement=all, see createDatabase), counts the statements the database's sessions sent during the window,
     * per command, and the most frequent ones. Logging slows everything: use it for counts, not for rates.
     */
    private record SqlLog(String db, java.nio.file.Path log, long offset) {
        static SqlLog start(String db) throws java.io.IOException {
            String path = System.getenv("APIM_BENCH_SQL_LOG");
            if (path == null || path.isBlank()) {
                return new SqlLog(db, null, 0);
            }
            java.nio.file.Path log = java.nio.file.Path.of(path);
            return new SqlLog(db, log, Files.size(log));
        }

        String stop(int commands) throws java.io.IOException {
            if (log == null) {
                return "";
            }
            String marker = "@" + dbName(db) + " ";
            Map<String, Long> counts = new java.util.TreeMap<>();
            long total = 0;
            try (var in = Files.newInputStream(log)) {
                in.skipNBytes(offset);
                var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = reader.readLine()) != null; ) {
                    int at = line.indexOf(marker);
                    if (at < 0) {
                        continue;
                    }
                    int ex = line.indexOf("LOG:  execute ");
                    int st = line.indexOf("LOG:  statement: ");
                    if (ex < 0 && st < 0) {
                        continue;
                    }
                    String sql = ex >= 0 ? line.substring(line.indexOf(": ", ex + 14) + 2)
                            : line.substring(st + 17);
                    total++;
                    String key = sql.length() > 90 ? sql.substring(0, 90) : sql;
                    counts.merge(key, 1L, Long::sum);
                }
            }
            StringBuilder out = new StringBuilder(String.format("; SQL statements per command %.2f (%d for %d)",
                    commands == 0 ? 0 : (double) total / commands, total, commands));
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                    .forEach(e -> out.append(String.format("%n    %6.2f  %s", (double) e.getValue() / commands,
                            e.getKey())));
            return out.toString();
        }
    }

    private static String dbName(String dbUrl) {
        return dbUrl.substring(dbUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
    }

    private static long openLoop(CommandGateway commands, int rate, int seconds) throws InterruptedException {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ExecutorService workers = Executors.newFixedThreadPool(32);
        AtomicLong sent = new AtomicLong();
        long periodNanos = 1_000_000_000L / rate;
        ticker.scheduleAtFixedRate(() -> workers.execute(() -> {
            create(commands);
            sent.incrementAndGet();
        }), 0, periodNanos, TimeUnit.NANOSECONDS);
        Thread.sleep(seconds * 1000L);
        ticker.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(30, TimeUnit.SECONDS);
        return sent.get();
    }

    private static String create(CommandGateway commands) {
        String id = UUID.randomUUID().toString();
        send(commands, new CreateApplication(id, "carbon.super", "admin", details("App " + id)));
        return id;
    }

    private static void update(CommandGateway commands, String id) {
        send(commands, new UpdateApplication(id, null, new Requester("admin", "carbon.super", true),
                details("App " + id + " v" + System.nanoTime())));
    }

    private static ApplicationDetails details(String name) {
        return new ApplicationDetails(name, "benchmark application", "Unlimited", "JWT", Map.of("team", "bench"),
                List.of()).validated();
    }

    private static void send(CommandGateway commands, Object command) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(AuditMetadata.of("carbon.super", "admin", "127.0.0.1", UUID.randomUUID().toString())));
    }

    private static void post(HttpClient http, URI uri, String auth) {
        String body = "{\"name\":\"App " + UUID.randomUUID() + "\",\"throttlingPolicy\":\"Unlimited\"}";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Result timedLoop(int concurrency, int seconds, Runnable call) {
        try {
            return timedLoopPerThread(concurrency, seconds, () -> call);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs each thread's call in a loop for {@code seconds}; latencies of every call, in ns. */
    private static Result timedLoopPerThread(int concurrency, int seconds,
                                             java.util.function.Supplier<Runnable> perThread) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            long[][] holder = new long[1][];
            Thread thread = new Thread(() -> {
                Runnable call = perThread.get();
                long[] lat = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        call.run();
                    } catch (RuntimeException e) {
                        if (errors.incrementAndGet() <= 3) {
                            e.printStackTrace();
                        }
                        continue;
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                LOOP_CPU.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                holder[0] = Arrays.copyOf(lat, n);
                synchronized (all) {
                    all.add(holder[0]);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (errors.get() > 0) {
            System.out.println("errors: " + errors.get());
        }
        return new Result(merged, elapsed);
    }

    private record Result(long[] sortedNanos, long elapsedNanos) {
        int count() {
            return sortedNanos.length;
        }

        String row(String phase, int concurrency, String notes) {
            double perSecond = sortedNanos.length / (elapsedNanos / 1e9);
            return String.format("%-14s %6s %8d %10.0f %9.1f %9.1f %9.1f %s", phase,
                    concurrency == 0 ? "-" : Integer.toString(concurrency), sortedNanos.length, perSecond,
                    pct(0.50), pct(0.99), sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1e6,
                    notes);
        }

        /** The row of one kind of command, from latencies recorded while the window ran. */
        String split(String label, java.util.Collection<Long> nanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            Result part = new Result(sorted, elapsedNanos);
            return String.format("%-20s %8d %10.0f %9.1f %9.1f %9.1f", label, sorted.length,
                    sorted.length / (elapsedNanos / 1e9), part.pct(0.50), part.pct(0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        }

        double pct(double p) {
            if (sortedNanos.length == 0) {
                return 0;
            }
            int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
            return sortedNanos[Math.max(0, i)] / 1e6;
        }
    }

    // ---- nodes and databases ----

    private static ConfigurableApplicationContext start(String db, String redis, String name, int port,
                                                        boolean listen) throws Exception {
        ConfigurerModule probe = configurer -> configurer.eventProcessing()
                .registerHandlerInterceptor("apimgtdb", c -> lagProbe());
        return new SpringApplicationBuilder(ApimApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("lagProbe", probe))
                .run("--apim.db.url=" + db, "--apim.redis.url=" + redis, "--apim.management.tls=false",
                        "--apim.management.port=" + port, "--apim.admin.password=" + ADMIN_PASSWORD,
                        "--apim.management.basic-auth.enabled=true", "--apim.keymanager.issuer=" + KM_ISSUER,
                        "--apim.keymanager.master-key=" + KM_MASTER_KEY,
                        "--apim.gateway.http-port=" + (port - 21443 + 21280), "--apim.gateway.https-port=-1",
                        "--apim.gateway.token-issuer=" + KM_ISSUER,
                        "--apim.broadcast.key=apim:broadcast:{lag-bench-" + db.hashCode() + "}",
                        "--apim.consistency.listen=" + listen, "--apim.processing.node-id=bench-" + name,
                        "--logging.level.root=WARN",
                        "--apim.data-dir=" + Files.createTempDirectory("apim-lag-" + name));
    }

    private static MessageHandlerInterceptor<EventMessage<?>> lagProbe() {
        return (unitOfWork, chain) -> {
            Instant timestamp = unitOfWork.getMessage().getTimestamp();
            if (RECORDING.get()) {
                unitOfWork.afterCommit(u -> LAGS.add(Duration.between(timestamp, Instant.now()).toNanos()));
            }
            return chain.proceed();
        };
    }

    private static String createDatabase(String adminUrl) throws Exception {
        String name = "apim_lag_" + Long.toString(System.currentTimeMillis(), 36);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            if (System.getenv("APIM_BENCH_SQL_LOG") != null) {
                s.execute("ALTER DATABASE " + name + " SET log_statement = 'all'");
            }
        }
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    private static void dropDatabase(String adminUrl, String dbUrl) {
        String name = dbUrl.substring(dbUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception e) {
            System.out.println("could not drop " + name + ": " + e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
