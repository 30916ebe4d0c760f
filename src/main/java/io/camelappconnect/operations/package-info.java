/**
 * Running the app: health of the connections, the counters behind {@code /observe/metrics}, and the app's own
 * rolled log file. At the bottom of the layers: it imports no other package of the app (the log file's settings are
 * its own {@link io.camelappconnect.operations.LogFile.Logging}, which the configuration fills).
 */
package io.camelappconnect.operations;
