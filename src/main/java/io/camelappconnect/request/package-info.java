/**
 * Requests from the cloud (behaviour.md 5): the steps of the request routes in {@code routes/requests.yaml}, from
 * reading the request ({@code RequestIn}) to the answer with its {@code rid} ({@code RidEcho}), and what runs a
 * request: lora-query without a shell, the mPower API, the tail of a log file.
 */
package io.camelappconnect.request;
