package org.gatehouse.admin.domain;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param nextToken what to pass as {@code from} for the next page, or null on the last page
 */
public record Page<T>(List<T> items, String nextToken) {
  public Page {
    items = List.copyOf(items);
  }
}
