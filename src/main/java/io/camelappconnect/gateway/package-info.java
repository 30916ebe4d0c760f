/**
 * The gateway and its settings: the configuration as {@code config/application.properties} documents it
 * ({@code AppConfig}), the gateway's identity (UUID, serial, EUIs) and the Cloud Connector settings read from mPower.
 */
package io.camelappconnect.gateway;
