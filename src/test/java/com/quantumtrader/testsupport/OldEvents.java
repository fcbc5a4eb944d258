package com.quantumtrader.testsupport;

import akka.actor.typed.ActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Events as an earlier version journaled them, for the tests that check they still read. */
public final class OldEvents {
  private OldEvents() {}

  /**
   * {@code event} written by the system's serializer without the given fields (as a version before
   * they existed wrote it) and read back. A field inside a nested object is named by its path, e.g.
   * {@code "state.positions"}, an element of a list by its index ({@code "candidates.0.verdict"}).
   */
  public static Object withoutField(ActorSystem<?> system, Object event, String... fields) throws Exception {
    Serialization serialization = SerializationExtension.get(system);
    var serializer = serialization.findSerializerFor(event);
    String manifest = Serializers.manifestFor(serializer, event);
    ObjectMapper cbor = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-cbor", Optional.empty());
    ObjectNode old = cbor.valueToTree(event);
    for (String field : fields) {
      JsonNode at = old;
      String[] path = field.split("\\.");
      for (int i = 0; i < path.length - 1; i++) at = at.isArray() ? at.get(Integer.parseInt(path[i])) : at.get(path[i]);
      if (!(at instanceof ObjectNode o) || !o.has(path[path.length - 1])) {
        throw new IllegalArgumentException(event.getClass().getSimpleName() + " has no " + field);
      }
      o.remove(path[path.length - 1]); // (a null field may not be written at all)
    }
    return serialization.deserialize(cbor.writeValueAsBytes(old), serializer.identifier(), manifest).get();
  }
}
