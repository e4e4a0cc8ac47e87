package org.chexaudit.pipelines.cli;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * Checks the values of a command's enum options before Beam parses them, so a wrong one fails with the
 * option's name and its allowed values ({@code --bootstrapUnit: 'cluster' is not one of image, patient})
 * rather than Jackson's message about a Java class.
 */
final class EnumArguments {
  private EnumArguments() {}

  /** Throws IllegalArgumentException naming the first {@code --name=value} whose value its enum lacks. */
  static void check(String[] args, Class<? extends PipelineOptions> type) {
    Map<String, Class<?>> enums = Arrays.stream(OptionsManifest.ownGetters(type))
        .filter(m -> m.getReturnType().isEnum())
        .collect(Collectors.toMap(OptionsManifest::propertyName, Method::getReturnType));
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        continue;
      }
      Class<?> e = enums.get(arg.substring(2, eq));
      String value = arg.substring(eq + 1);
      if (e != null && Arrays.stream(e.getEnumConstants()).noneMatch(c -> ((Enum<?>) c).name().equals(value))) {
        throw new IllegalArgumentException(arg.substring(0, eq) + ": '" + value + "' is not one of "
            + allowed(e));
      }
    }
  }

  /** The allowed values of an enum option, comma-separated. */
  static String allowed(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name())
        .collect(Collectors.joining(", "));
  }
}
