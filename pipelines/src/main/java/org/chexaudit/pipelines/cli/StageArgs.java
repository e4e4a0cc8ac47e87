package org.chexaudit.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The command line that gives a command's own options back in another JVM: {@code --name=value} for
 * every property that was set on {@code options} and that a chexaudit options interface of {@code type}
 * declares, sorted by name. Values are Beam's own JSON form of the options (lists comma-joined), so they
 * parse back to the same values; Beam's own properties (app name, runner) are left to the caller.
 */
final class StageArgs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OWN_PACKAGE = "org.chexaudit.";

  private StageArgs() {}

  static List<String> of(PipelineOptions options, Class<? extends PipelineOptions> type) {
    JsonNode set = JSON.valueToTree(options).path("options");
    TreeMap<String, String> args = new TreeMap<>();
    for (String property : ownProperties(type)) {
      JsonNode v = set.get(property);
      if (v != null && !v.isNull()) {
        args.put(property, text(v));
      }
    }
    List<String> out = new ArrayList<>();
    args.forEach((k, v) -> out.add("--" + k + "=" + v));
    return out;
  }

  private static Set<String> ownProperties(Class<?> type) {
    Set<String> names = new TreeSet<>();
    for (Method m : type.getMethods()) {
      String n = m.getName();
      if (m.getParameterCount() == 0 && m.getDeclaringClass().getName().startsWith(OWN_PACKAGE)) {
        if (n.startsWith("get") && n.length() > 3) {
          names.add(Introspector.decapitalize(n.substring(3)));
        } else if (n.startsWith("is") && n.length() > 2) {
          names.add(Introspector.decapitalize(n.substring(2)));
        }
      }
    }
    return names;
  }

  private static String text(JsonNode v) {
    if (!v.isArray()) {
      return v.asText();
    }
    List<String> items = new ArrayList<>();
    for (Iterator<JsonNode> i = v.elements(); i.hasNext(); ) {
      items.add(i.next().asText());
    }
    return String.join(",", items);
  }
}
