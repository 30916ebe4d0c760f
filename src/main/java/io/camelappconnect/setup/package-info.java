/**
 * The start's work, one class per concern, in the order {@code AppConfiguration} calls them: which routes run and
 * the gateway's topics ({@code CloudMode}), the broker connections, the LENS application networks, the steps, the
 * cloud (a broker or a web server), and the context's start and stop hooks. Nothing but {@code AppConfiguration}
 * uses this package.
 */
package io.camelappconnect.setup;
