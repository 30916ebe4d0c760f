/**
 * Device and field filters as MultiTech's lora-mqtt-bridge has them (docs/filters.md): {@code app.filter.*} for the
 * default app, {@code mqtt.connection.<name>.filter.*} for a declared connection. The steps decide (an exchange
 * property, the JSON's fields); the routes say what follows.
 */
package io.camelappconnect.filter;
