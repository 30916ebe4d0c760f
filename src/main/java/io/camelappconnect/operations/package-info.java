/**
 * Running the app: health of the connections, the counters behind {@code /observe/metrics}, and the app's own
 * rolled log file.
 */
package io.camelappconnect.operations;
