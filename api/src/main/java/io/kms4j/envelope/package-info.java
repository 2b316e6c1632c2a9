/**
 * Envelope encryption: data of any size encrypted locally with AES-256-GCM under data keys that a KMS generates
 * and wraps, over any kms4j provider, with an optional data key cache so steady-state traffic makes almost no KMS
 * calls.
 *
 * <ul>
 *   <li>{@link io.kms4j.envelope.EnvelopeEncryptor} encrypts byte arrays and streams;
 *   <li>{@link io.kms4j.envelope.EnvelopeDecryptor} decrypts them, in strict or discovery mode;
 *   <li>{@link io.kms4j.envelope.DataKeyCache} caches data keys for both directions, within limits;
 *   <li>{@link io.kms4j.envelope.EnvelopeHeader} reads a message's header without decrypting.
 * </ul>
 *
 * The message format is specified in {@code docs/FORMATS.md} ("Envelope message format"); the design, the
 * security argument and the performance decisions are in {@code docs/ENVELOPE.md}. Everything in the
 * {@code internal} subpackage is not API.
 */
package io.kms4j.envelope;
