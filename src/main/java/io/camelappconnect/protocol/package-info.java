/**
 * The MQTT App protocol's steps that YAML can't say well, each named for what it does and called by name from
 * {@code routes/}: EUI normalising, the payload codec, the mPower topic template, the retained-command clear, the
 * init message, the backhaul-detect throttle. Which topic a message comes from and goes to is written in the routes.
 */
package io.camelappconnect.protocol;
