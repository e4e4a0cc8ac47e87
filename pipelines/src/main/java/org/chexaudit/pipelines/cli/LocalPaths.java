package org.chexaudit.pipelines.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * Refuses, before any work, an option value that names a file system other than the local one
 * ({@code hdfs://}, {@code s3://}, {@code gs://}, or an unknown {@code foo://}). The stages read and
 * write through {@code java.nio} paths in this version, which would take {@code hdfs://host/x} for a
 * relative local folder named {@code hdfs:} and exit 0 (issue 18); a clear refusal is better than that.
 */
final class LocalPaths {
  private static final Pattern SCHEME = Pattern.compile("(?:^|,)\\s*([A-Za-z][A-Za-z0-9+.-]*)://");

  private LocalPaths() {}

  /** The first own option whose value carries a non-{@code file} scheme, as a message; null when none. */
  static <T extends PipelineOptions> String check(T options, Class<T> type) {
    for (Map.Entry<String, Object> e : OptionsManifest.of(options, type).entrySet()) {
      if (!(e.getValue() instanceof String value)) {
        continue;
      }
      Matcher m = SCHEME.matcher(value);
      while (m.find()) {
        if (!m.group(1).equalsIgnoreCase("file")) {
          return "--" + e.getKey() + "=" + value + ": only local paths are supported in this version; "
              + m.group(1) + ":// is not (distributed file systems are planned: see README, Status)";
        }
      }
    }
    return null;
  }
}
