package io.kms4j.cli;

import io.kms4j.KmsErrorCode;

/**
 * The exit codes of the {@code kms4j} command: one per class of failure, so scripts can tell them apart.
 * Documented in {@code docs/CLI.md}; changing one is a breaking change.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** An unexpected internal error (a bug, or a backend failure kms4j could not classify). */
    public static final int INTERNAL = 1;
    /** Bad command-line usage: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** The request was invalid (ValidationException, bad alias name, bad marker). */
    public static final int VALIDATION = 3;
    /** The key or alias does not exist. */
    public static final int NOT_FOUND = 4;
    /** The key is disabled or in a state that refuses the operation. */
    public static final int KEY_STATE = 5;
    /** The ciphertext is corrupt, truncated, altered, or the encryption context is wrong. */
    public static final int INVALID_CIPHERTEXT = 6;
    /** Access denied: wrong passphrase or PIN, or not allowed. */
    public static final int ACCESS_DENIED = 7;
    /** The backend is unavailable, throttling or timing out; retrying later may help. */
    public static final int UNAVAILABLE = 8;
    /** A local file could not be read or written. */
    public static final int IO = 9;
    /** The audit log failed verification. */
    public static final int AUDIT_INVALID = 10;
    /** Verify found the signature invalid for the message, key and algorithm. */
    public static final int INVALID_SIGNATURE = 11;

    private ExitCodes() {
    }

    /** The exit code for a kms4j error code. */
    public static int of(KmsErrorCode code) {
        switch (code) {
            case VALIDATION:
            case INVALID_ALIAS_NAME:
            case INVALID_MARKER:
            case ALREADY_EXISTS:
            case INVALID_KEY_USAGE:
            case UNSUPPORTED_OPERATION:
                return VALIDATION;
            case NOT_FOUND:
                return NOT_FOUND;
            case DISABLED:
            case INVALID_STATE:
                return KEY_STATE;
            case INVALID_CIPHERTEXT:
            case INCORRECT_KEY:
                return INVALID_CIPHERTEXT;
            case ACCESS_DENIED:
                return ACCESS_DENIED;
            case INVALID_SIGNATURE:
                return INVALID_SIGNATURE;
            case THROTTLING:
            case LIMIT_EXCEEDED:
            case DEPENDENCY_TIMEOUT:
            case KEY_UNAVAILABLE:
                return UNAVAILABLE;
            default:
                return INTERNAL;
        }
    }
}
