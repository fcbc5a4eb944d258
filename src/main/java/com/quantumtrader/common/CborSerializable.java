package com.quantumtrader.common;

/**
 * Marker for every message, event and state that crosses the network or goes into the journal.
 * Bound to Akka's {@code jackson-cbor} serializer in application.conf; a class without it is refused
 * by the serializer's allow-list rather than silently Java-serialized.
 */
public interface CborSerializable {}
