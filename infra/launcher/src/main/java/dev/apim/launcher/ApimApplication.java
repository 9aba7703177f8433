package dev.apim.launcher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The one runnable node; {@code apim.roles} decides which components it runs (default: all of them). */
@SpringBootApplication(scanBasePackages = "dev.apim")
@ConfigurationPropertiesScan("dev.apim")
public class ApimApplication {

    public static void main(String[] args) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(ApimApplication.class, args);
    }
}
