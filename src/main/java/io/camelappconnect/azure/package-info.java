/**
 * Azure IoT Hub ({@code cloudService: AZURE}, behaviour.md 12): the device's SAS token, made from its key and renewed
 * before it expires, or a pasted one whose expiry is watched.
 */
package io.camelappconnect.azure;
