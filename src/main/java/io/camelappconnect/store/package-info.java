/**
 * The message store: what a broker has not acknowledged yet, kept on disk in segment files, in order, across
 * restarts ({@link io.camelappconnect.store.MessageStore}). It imports no other package of the app; {@code mqtt}
 * (its outbox) and {@code http} (the server queue) keep their messages in it.
 */
package io.camelappconnect.store;
