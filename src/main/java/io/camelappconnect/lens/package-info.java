/**
 * LENS application networks (behaviour.md 10, API 1.0): the applications the network server knows besides the
 * default app, each with its own connection, read from {@code lora-query -x appnet list json} at start and every
 * {@code appnet.refresh} ms ({@link io.camelappconnect.lens.AppNetworks}); the routes each one gets are the
 * templates of {@code routes/uplinks-api10.yaml}, {@code routes/downlinks-api10.yaml} and {@code routes/appnets.yaml}
 * (an MQTT connection), or those of {@code routes/http-*.yaml} (a web server).
 */
package io.camelappconnect.lens;
