package dev.apim.launcher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The one runnable node; {@code apim.roles} decides which components it runs (default: all of them). With
 * {@code replay} as first argument it rebuilds projections instead and exits ({@link ReplayCommand}).
 */
@SpringBootApplication(scanBasePackages = "dev.apim")
@ConfigurationPropertiesScan("dev.apim")
public class ApimApplication {

    public static void main(String[] args) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        if (args.length > 0 && args[0].equals("replay")) {
            PrintWriter out = new PrintWriter(System.out, true);
            PrintWriter err = new PrintWriter(System.err, true);
            System.exit(ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err));
        }
        SpringApplication.run(ApimApplication.class, args);
    }
}
