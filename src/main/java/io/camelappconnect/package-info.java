/**
 * The app itself: {@code Main} starts Camel with {@code config/application.properties} and {@code routes/*.yaml};
 * {@code AppConfiguration} binds what the routes name (connections, steps, placeholders worked out at start).
 */
package io.camelappconnect;
