package io.camelappconnect.mqtt;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paho's own log lines, in the app's log (SLF4J) instead of java.util.logging's console format: its warnings and
 * errors as WARN, the rest at DEBUG. Paho makes a logger for every message it sends or acknowledges, and
 * its default one looks itself up in java.util.logging each time; this one only keeps two fields.
 */
public final class PahoLog implements org.eclipse.paho.client.mqttv3.logging.Logger {

    private static final Logger LOG = LoggerFactory.getLogger("org.eclipse.paho");

    private ResourceBundle catalog;

    /** Makes every Paho client created after it log here. */
    public static void install() {
        org.eclipse.paho.client.mqttv3.logging.LoggerFactory.setLogger(PahoLog.class.getName());
    }

    @Override
    public void initialise(ResourceBundle messageCatalog, String loggerID, String resourceName) {
        this.catalog = messageCatalog;
    }

    @Override
    public void setResourceName(String logContext) {
    }

    @Override
    public boolean isLoggable(int level) {
        return level <= WARNING ? LOG.isWarnEnabled() : LOG.isDebugEnabled();
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg) {
        log(SEVERE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg) {
        log(WARNING, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg) {
        log(INFO, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg) {
        log(CONFIG, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg) {
        log(FINE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINE, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg) {
        log(FINER, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINER, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINER, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg) {
        log(FINEST, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(level, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts,
                    Throwable thrown) {
        if (!isLoggable(level)) {
            return; // the per-message trace: nothing to build
        }
        String text = sourceMethod + ": " + formatMessage(msg, inserts);
        if (level <= WARNING) {
            LOG.warn(text, thrown); // its SEVERE lines are connection trouble the app reports and recovers from too
        } else {
            LOG.debug(text, thrown);
        }
    }

    /** Paho logs message numbers; its catalog has the words. */
    @Override
    public String formatMessage(String msg, Object[] inserts) {
        String pattern = msg;
        if (catalog != null && msg != null) {
            try {
                pattern = catalog.getString(msg);
            } catch (MissingResourceException e) {
                // a message without a catalog entry: as it is
            }
        }
        return inserts == null || pattern == null ? pattern : MessageFormat.format(pattern, inserts);
    }

    @Override
    public void dumpTrace() {
    }
}
