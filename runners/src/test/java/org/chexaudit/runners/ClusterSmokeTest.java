package org.chexaudit.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * runners/cluster-smoke.sh from the slow suite: HDFS and a two-TaskManager Flink cluster, a word count on
 * hdfs:// at the cluster's parallelism with tasks on both TaskManagers, then the same job with one
 * TaskManager killed mid-job finishing with the same output. The script checks and stops everything.
 */
@Tag("slow")
class ClusterSmokeTest {

  @Test
  void jobOnTwoTaskManagersOverHdfsSurvivesAKilledTaskManager() throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path log = root.resolve("runners/target/cluster-smoke.log");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("runners/cluster-smoke.sh").toString())
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    // the job's client runs on this test's classpath: no nested Maven build
    pb.environment().put("CHEXAUDIT_SMOKE_CLIENT_CP", System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")).replace(File.pathSeparatorChar, ':'));
    Process p = pb.start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done) {
      p.destroy();
    }
    String out = Files.readString(log);
    System.out.println(out);
    assertThat("cluster-smoke.sh finished within 15 minutes", done, is(true));
    assertThat("cluster-smoke.sh exit status (log: " + log + ")", p.exitValue(), is(0));
    assertThat(out, containsString("result=passed"));
  }
}
