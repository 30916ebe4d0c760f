/**
 * What every layer says about a message: its JSON ({@link io.camelappconnect.message.Json}), its EUIs, the topic
 * filled from its headers ({@link io.camelappconnect.message.FilledTopic}) and
 * {@link io.camelappconnect.message.BadMessage}, the sender's mistake. A neutral package at the bottom: it imports no
 * other package of the app, so the connections ({@code mqtt}, {@code http}) and the steps ({@code protocol},
 * {@code request}, {@code gateway}) share it without importing each other.
 */
package io.camelappconnect.message;
