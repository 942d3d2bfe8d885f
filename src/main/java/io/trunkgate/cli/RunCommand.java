package io.trunkgate.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.trunkgate.TrunkgateConfiguration;
import io.trunkgate.config.Settings;
import org.apache.camel.main.Main;

/**
 * {@code run}: the gateway on camel-main. From the project root it loads {@code ./routes/*.yaml} and
 * {@code ./config/application.properties}; elsewhere (or embedded) the routes shipped in the jar.
 */
final class RunCommand implements CliCommand {

    @Override
    public String usage() {
        return "run                      start the gateway (routes/*.yaml, config/application.properties)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (!args.isEmpty()) {
            throw new UsageException("run takes no arguments; settings come from config/ and -Dtrunkgate.*");
        }
        Main main = new Main();
        Settings bootstrap = Settings.standalone(null);
        Path configDir = Path.of(bootstrap.get("trunkgate.config.dir"));
        main.setDefaultPropertyPlaceholderLocation(
                "file:" + configDir.resolve("application.properties") + ";optional=true");
        main.setInitialProperties(Settings.defaults());
        main.addInitialProperty("camel.main.routes-include-pattern",
                Files.isDirectory(Path.of("routes")) ? "file:routes/*.yaml" : "classpath:routes/*.yaml");
        main.configure().addConfiguration(new TrunkgateConfiguration());
        main.run();
        return main.getExitCode();
    }
}
