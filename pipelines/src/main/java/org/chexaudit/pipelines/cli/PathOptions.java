package org.chexaudit.pipelines.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.transforms.io.Resources;

/**
 * Checks, before any work, every option value that names a file system ({@code hdfs://nn/x},
 * {@code s3://b/x}, {@code foo://x}): its scheme must have a Beam file system on the classpath, the
 * command must read and write through Beam's {@code FileSystems} (those that still use local paths
 * refuse other schemes rather than write a folder named {@code hdfs:}), and the file system must answer
 * (an {@code hdfs://} path with its NameNode down, or an {@code s3://} path without a region or with its
 * endpoint down, fails here, naming the path, not midway).
 */
final class PathOptions {
  private static final Pattern SCHEMED = Pattern.compile("(?:^|,)\\s*([A-Za-z][A-Za-z0-9+.-]*://[^,]*)");

  /** Commands whose every path goes through Beam's {@code FileSystems}. */
  static final Set<String> ANY_FILE_SYSTEM =
      Set.of("synth", "cohort", "resample", "chexclusion-cohort", "train", "preprocess",
          "predict", "import-model", "metrics", "explore", "chexclusion-eval", "report");

  /** The commands {@code audit} runs; it takes any file system once all of them do. */
  static final Set<String> AUDIT_STAGES =
      Set.of("synth", "cohort", "preprocess", "train", "predict", "resample", "metrics", "explore", "report");

  /** Whether every path of {@code command} goes through Beam's {@code FileSystems}. */
  static boolean anyFileSystem(String command) {
    return command.equals("audit") ? ANY_FILE_SYSTEM.containsAll(AUDIT_STAGES) : ANY_FILE_SYSTEM.contains(command);
  }

  private PathOptions() {}

  /** The first problem with an own option's path, as a message naming the option; null when none. */
  static <T extends PipelineOptions> String check(String command, T options, Class<T> type) {
    for (Map.Entry<String, Object> e : OptionsManifest.of(options, type).entrySet()) {
      if (!(e.getValue() instanceof String value)) {
        continue;
      }
      for (String path : schemed(value)) {
        String problem = problem(command, path, options);
        if (problem != null) {
          return "--" + e.getKey() + "=" + value + ": " + problem;
        }
      }
    }
    return null;
  }

  /** The items of {@code value} (a path or a comma list of paths) that carry a scheme. */
  static List<String> schemed(String value) {
    List<String> out = new ArrayList<>();
    Matcher m = SCHEMED.matcher(value);
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }

  private static String problem(String command, String path, PipelineOptions options) {
    String scheme = Resources.scheme(path);
    if (scheme.equals("file")) {
      return null;
    }
    if (scheme.equals("s3") && options.as(AwsOptions.class).getAwsRegion() == null) {
      return "s3:// needs an AWS region: pass --awsRegion=REGION (for example us-east-1) or set AWS_REGION; an "
          + "S3-compatible service also needs --endpoint=http://HOST:PORT and --awsCredentialsProvider=... "
          + "(see docs/cluster.md, S3 and other object stores)";
    }
    ResourceId id;
    try {
      id = FileSystems.matchNewResource(Resources.absolute(path), path.endsWith("/"));
    } catch (IllegalArgumentException e) {
      if (!String.valueOf(e.getMessage()).startsWith("No filesystem found")) {
        return "not a valid " + scheme + ":// path (" + e.getMessage() + ")";
      }
      if (scheme.equals("hdfs") || scheme.equals("webhdfs")) {
        return scheme + ":// needs a Hadoop configuration: pass --hdfsConfiguration=[{\"fs.defaultFS\":"
            + "\"hdfs://HOST:PORT\"}] or set HADOOP_CONF_DIR (see docs/cluster.md)";
      }
      return "no Beam file system for " + scheme + ":// (" + e.getMessage() + ")";
    }
    ResourceId probe = id.getCurrentDirectory();
    try {
      MatchResult r = FileSystems.match(List.of(Resources.matchSpec(Resources.path(probe))), EmptyMatchTreatment.ALLOW).get(0);
      if (r.status() == MatchResult.Status.ERROR) {
        r.metadata(); // throws the file system's error
      }
    } catch (IOException | RuntimeException e) {
      return "cannot reach " + Resources.path(probe) + ": " + e;
    }
    if (!anyFileSystem(command)) {
      return "'" + command + "' reads and writes local paths only in this version; " + scheme
          + ":// is not supported by it yet (see README, Status)";
    }
    return null;
  }
}
