/**
 * Broker connections: a Camel component per connection ({@code lns:}, {@code cloud:}, any declared as
 * {@code mqtt.connection.<name>.*}) on HiveMQ's MQTT client, with reconnects, TLS and the store that keeps what
 * an unreachable broker has not acknowledged.
 */
package io.camelappconnect.mqtt;
