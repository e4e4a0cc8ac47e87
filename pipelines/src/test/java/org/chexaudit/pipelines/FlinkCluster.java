package org.chexaudit.pipelines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real local Flink session cluster of {@code runners/flink-cluster.sh}, driven from a test: started
 * if it is not already up (and then stopped by {@link #close}), with its REST job list.
 */
final class FlinkCluster implements AutoCloseable {
  static final String MASTER = "localhost:8081";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path root;
  private final boolean startedHere;

  private FlinkCluster(Path root, boolean startedHere) {
    this.root = root;
    this.startedHere = startedHere;
  }

  /** The project root (the parent of the pipelines module the tests run in). */
  static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("runners/flink-cluster.sh")) ? here : here.getParent();
  }

  /** The shaded jar the cluster loads the job's code from; built by {@code mvn -DskipTests package}. */
  static Path shadedJar() {
    Path jar = projectRoot().resolve("pipelines/target/chexaudit.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: the cluster tests stage the shaded jar; run "
          + "'mvn -B -DskipTests package' first (runners/flink-equivalence.sh does)");
    }
    return jar;
  }

  static FlinkCluster start() throws IOException, InterruptedException {
    Path root = projectRoot();
    boolean up = overviewOrNull("/overview") != null;
    if (!up) {
      script(root, "start");
    }
    return new FlinkCluster(root, !up);
  }

  /** Kills the TaskManager JVM with SIGKILL (a crashed worker). */
  void killTaskManager() throws IOException, InterruptedException {
    String pid = Files.readString(root.resolve("target/flink-cluster/taskmanager.pid")).trim();
    new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();
  }

  /** Stops whatever is left and starts both JVMs again. */
  void restart() throws IOException, InterruptedException {
    script(root, "stop");
    script(root, "start");
  }

  /** The cluster's {@code /jobs/overview} JSON. */
  static String jobsOverview() throws IOException, InterruptedException {
    return overviewOrNull("/jobs/overview");
  }

  private static String overviewOrNull(String path) throws InterruptedException {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + MASTER + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void script(Path root, String action) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(root.resolve("runners/flink-cluster.sh").toString(), action)
        .directory(root.toFile()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    System.out.print(log);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("runners/flink-cluster.sh " + action + " failed:\n" + log);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (startedHere) {
      script(root, "stop");
    }
  }
}
