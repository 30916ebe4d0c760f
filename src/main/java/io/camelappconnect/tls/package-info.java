/**
 * TLS from PEM text or files, as the configuration and LENS give them: the trust, the client certificate and key,
 * and the protocol versions ({@link io.camelappconnect.tls.Tls}). It imports no other package of the app; the
 * connections of {@code mqtt} and the posts of {@code http} are configured with it.
 */
package io.camelappconnect.tls;
