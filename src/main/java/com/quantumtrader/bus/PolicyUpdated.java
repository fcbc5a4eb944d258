package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.quantumtrader.policy.GlobalPolicy;

/**
 * The global policy changed and the change is in the journal.
 *
 * @param version the policy's version after the change (its journal sequence number)
 * @param policy the whole policy after the change
 * @param changedBy who made the change ({@code MSC_AI}, an operator's name, ...)
 * @param reason why
 * @param change what changed, in words
 */
public record PolicyUpdated(
    long version, GlobalPolicy policy, String changedBy, String reason, String change)
    implements EventPayload {
  @JsonIgnore
  @Override
  public EventType type() {
    return EventType.POLICY_UPDATED;
  }
}
