package org.chexaudit.pipelines.stage;

import java.beans.Introspector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A command's options as its manifest records them: every property that an {@code org.chexaudit}
 * options interface of the command's options type declares (Beam's runner internals left out), by name, plus the
 * runner. Serialised from the options object, so a new option is recorded without anyone listing it.
 * Commands then {@code put} the values they resolve themselves (a default that depends on the input,
 * a seed whose default differs by command), which replace the raw option under the same name.
 */
public final class OptionsManifest {
  private static final String OWN_PACKAGES = "org.chexaudit.";

  private OptionsManifest() {}

  /**
   * Property name -> value of every option {@code type} declares or inherits from our interfaces, sorted by
   * name; enums as their command-line spelling, unset options as null.
   */
  public static <T extends PipelineOptions> Map<String, Object> of(T options, Class<T> type) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Method getter : ownGetters(type)) {
      out.put(propertyName(getter), valueOf(getter, options));
    }
    out.put("runner", options.getRunner().getSimpleName());
    return out;
  }

  /** The getters of the command's own options interfaces, sorted by property name. */
  public static Method[] ownGetters(Class<? extends PipelineOptions> type) {
    return Arrays.stream(type.getMethods())
        .filter(m -> m.getDeclaringClass().getName().startsWith(OWN_PACKAGES))
        .filter(m -> m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getName().startsWith("get") || m.getName().startsWith("is"))
        .sorted(Comparator.comparing(OptionsManifest::propertyName))
        .toArray(Method[]::new);
  }

  /** The bean property a getter reads: {@code getSeed} -> {@code seed}. */
  public static String propertyName(Method getter) {
    String n = getter.getName();
    return Introspector.decapitalize(n.startsWith("is") ? n.substring(2) : n.substring(3));
  }

  private static Object valueOf(Method getter, PipelineOptions options) {
    try {
      Object v = getter.invoke(options);
      return v instanceof Enum<?> e ? e.name() : v;
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read option " + propertyName(getter), e);
    }
  }
}
