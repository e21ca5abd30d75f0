package io.outlast.core.settings;

/** Bad configuration. The message is the whole error line: key, value, and what would be valid. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
