package com.quantumtrader.testsupport;

import akka.actor.typed.ActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Events as an earlier version journaled them, for the tests that check they still read. */
public final class OldEvents {
  private OldEvents() {}

  /**
   * {@code event} written by the system's serializer without {@code field} (as a version before the
   * field existed wrote it) and read back.
   */
  public static Object withoutField(ActorSystem<?> system, Object event, String field) throws Exception {
    Serialization serialization = SerializationExtension.get(system);
    var serializer = serialization.findSerializerFor(event);
    String manifest = Serializers.manifestFor(serializer, event);
    ObjectMapper cbor = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-cbor", Optional.empty());
    @SuppressWarnings("unchecked")
    Map<String, Object> old = new LinkedHashMap<>(cbor.convertValue(event, Map.class));
    old.remove(field); // (a null field may not be written at all)
    return serialization.deserialize(cbor.writeValueAsBytes(old), serializer.identifier(), manifest).get();
  }
}
