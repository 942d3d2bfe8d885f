package io.trunkgate.config;

/** A configuration error: names the key (or file and key), the rule and, where one applies, the requirement ID. */
public class ConfigException extends RuntimeException {

    public ConfigException(String key, String rule) {
        super(key + " " + rule);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
