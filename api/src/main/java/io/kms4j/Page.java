package io.kms4j;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a paginated listing, as AWS KMS pages them: pass {@link #nextMarker()} back to get the next.
 *
 * @param items the entries on this page, in the provider's stable order
 * @param nextMarker the marker for the next page, or null when this is the last page
 * @param <T> the entry type
 *
 * <p>Thread safety: immutable (the list is copied).
 */
public record Page<T>(List<T> items, String nextMarker) {
    /** Copies the item list so the page cannot change after it is made. */
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /** Whether more entries follow ({@code Truncated} in AWS's response). */
    public boolean truncated() {
        return nextMarker != null;
    }

    /** The marker for the next page, if there is one. */
    public Optional<String> next() {
        return Optional.ofNullable(nextMarker);
    }
}
