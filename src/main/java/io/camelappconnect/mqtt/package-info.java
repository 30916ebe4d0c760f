/**
 * Broker connections: a Camel component per connection ({@code lns:}, {@code cloud:}, any declared as
 * {@code mqtt.connection.<name>.*}) on HiveMQ's MQTT client, with reconnects, TLS and the store that keeps what
 * an unreachable broker has not acknowledged. It may use {@code operations}, {@code message} and {@code store},
 * never the steps ({@code protocol}, {@code request}, {@code gateway}): they use it.
 */
package io.camelappconnect.mqtt;
