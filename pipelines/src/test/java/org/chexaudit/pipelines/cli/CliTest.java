package org.chexaudit.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.chexaudit.pipelines.options.Dataset;
import org.chexaudit.pipelines.options.MetricsOptions;
import org.chexaudit.pipelines.options.Protocol;
import org.chexaudit.pipelines.options.TrainOptions;
import org.chexaudit.runners.LocalFlinkConfig;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class CliTest {
  private static DirectOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(Cli.withRunnerDefaults(args)).as(DirectOptions.class);
  }

  @Test
  void aWrongEnumValueFailsNamingTheOptionAndItsAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EnumArguments.check(new String[] {"--output=o", "--bootstrapUnit=cluster"}, MetricsOptions.class));
    assertThat(e.getMessage(), equalTo("--bootstrapUnit: 'cluster' is not one of image, patient"));
    EnumArguments.check(new String[] {"--bootstrapUnit=patient", "--dataset"}, MetricsOptions.class);
  }

  @Test
  void aPathOnAnUnknownOrUnconfiguredFileSystemIsRefusedNamingTheOption() {
    MetricsOptions unknown = metrics("--output=out", "--predictions=foo://x/p.csv");
    assertThat(PathOptions.check("metrics", unknown, MetricsOptions.class),
        startsWith("--predictions=foo://x/p.csv: no Beam file system for foo://"));
    MetricsOptions hdfs = metrics("--output=hdfs://nn:8020/runs/demo", "--predictions=p.csv");
    assertThat(PathOptions.check("metrics", hdfs, MetricsOptions.class),
        startsWith("--output=hdfs://nn:8020/runs/demo: hdfs:// needs a Hadoop configuration: pass --hdfsConfiguration"));
    MetricsOptions local = metrics("--output=runs/a", "--predictions=file:///tmp/p.csv");
    assertThat(PathOptions.check("metrics", local, MetricsOptions.class), nullValue());
  }

  @Test
  void anHdfsPathWhoseNameNodeIsDownIsRefusedBeforeAnyWork() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    String conf = "--hdfsConfiguration=[{\"fs.defaultFS\":\"hdfs://127.0.0.1:" + port
        + "\",\"ipc.client.connect.max.retries\":\"0\"}]";
    MetricsOptions down = metrics("--output=hdfs://127.0.0.1:" + port + "/runs/a", "--predictions=p.csv", conf);
    String problem = PathOptions.check("metrics", down, MetricsOptions.class);
    assertThat(problem, startsWith("--output=hdfs://127.0.0.1:" + port + "/runs/a: cannot reach hdfs://127.0.0.1:" + port + "/runs"));
    assertThat(problem, containsString("Connection refused"));
  }

  @Test
  void anS3PathWithoutARegionIsRefusedBeforeAnyWork() {
    MetricsOptions o = metrics("--output=s3://bucket/runs/a", "--predictions=p.csv");
    o.as(AwsOptions.class).setAwsRegion(null); // whatever AWS_REGION or ~/.aws/config say on this machine
    assertThat(PathOptions.check("metrics", o, MetricsOptions.class),
        startsWith("--output=s3://bucket/runs/a: s3:// needs an AWS region: pass --awsRegion=REGION"));
  }

  @Test
  void anS3PathWhoseEndpointIsDownIsRefusedBeforeAnyWork() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    MetricsOptions down = metrics("--output=s3://bucket/runs/a", "--predictions=s3://bucket/in/p.csv",
        "--awsRegion=us-east-1", "--endpoint=http://127.0.0.1:" + port,
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"k\",\"secretAccessKey\":\"s\"}");
    long t0 = System.nanoTime();
    String problem = PathOptions.check("metrics", down, MetricsOptions.class);
    assertThat(problem, startsWith("--output=s3://bucket/runs/a: cannot reach s3://bucket/runs"));
    assertThat(problem, containsString("Connection refused"));
    System.out.printf("s3:// endpoint down refused in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, problem);
  }

  @Test
  void auditPassesTheFileSystemOptionsOnToItsStages() {
    String creds = "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\"}";
    List<String> args = List.of("--output=s3://b/run", "--awsRegion=us-east-1", "--endpoint=http://127.0.0.1:19000",
        creds, "--s3ClientFactoryClass=x.Y", "--hdfsConfiguration=[{}]", "--patients=10");
    assertThat(AuditCommand.runnerArgs(args.toArray(new String[0])), equalTo(args.subList(1, 6)));
  }

  private static MetricsOptions metrics(String... args) {
    MetricsOptions o = PipelineOptionsFactory.fromArgs(args).as(MetricsOptions.class);
    org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(o);
    return o;
  }

  @Test
  void enumOptionsParseFromTheirCommandLineSpelling() {
    TrainOptions o = PipelineOptionsFactory.fromArgs("--protocol=chexclusion", "--dataset=nih").as(TrainOptions.class);
    assertThat(o.getProtocol(), equalTo(Protocol.chexclusion));
    assertThat(o.getDataset(), equalTo(Dataset.nih));
    assertThat(PipelineOptionsFactory.as(TrainOptions.class).getDataset(), equalTo(Dataset.cxp));
  }

  @Test
  void renamedOptionsStillWorkWithAWarning() {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    String[] args = RenamedOptions.rewrite("cohort", new String[] {"--splitSeed=7", "--output=o"},
        new PrintStream(warnings, true, StandardCharsets.UTF_8));
    assertThat(List.of(args), equalTo(List.of("--seed=7", "--output=o")));
    assertThat(warnings.toString(StandardCharsets.UTF_8).trim(),
        equalTo("chexaudit cohort: --splitSeed is deprecated; use --seed"));
  }

  @Test
  void directRunnerElementChecksAreOffUnlessTheCommandLineSetsThem() {
    DirectOptions byDefault = parse("--targetParallelism=2");
    assertThat(byDefault.isEnforceImmutability(), equalTo(false));
    assertThat(byDefault.isEnforceEncodability(), equalTo(false));
    assertThat(byDefault.getTargetParallelism(), equalTo(2));

    DirectOptions asked = parse("--enforceImmutability=true", "--enforceEncodability=true");
    assertThat(asked.isEnforceImmutability(), equalTo(true));
    assertThat(asked.isEnforceEncodability(), equalTo(true));
    // one worker per core, where Beam's default is at least 3
    assertThat(asked.getTargetParallelism(), equalTo(Runtime.getRuntime().availableProcessors()));
  }

  /** An embedded Flink cluster gets the project's managed memory; a named configuration or a real cluster its own. */
  @Test
  void embeddedFlinkGetsItsConfigurationUnlessOneIsNamed() throws Exception {
    String local = confDir("--runner=FlinkRunner", "--flinkMaster=[local]");
    if (System.getenv("FLINK_CONF_DIR") == null) {
      assertThat(local, equalTo(LocalFlinkConfig.dir()));
      assertThat(java.nio.file.Files.readString(java.nio.file.Path.of(local, "config.yaml")),
          containsString("taskmanager.memory.managed.size: " + LocalFlinkConfig.MANAGED_MEMORY));
      assertThat(confDir("--runner=FlinkRunner"), equalTo(local)); // [auto] outside a cluster: embedded
      // the runner as Beam resolves it: any case, with or without "Runner", or its class
      assertThat(confDir("--runner=flink", "--flinkMaster=[local]"), equalTo(local));
      assertThat(confDir("--runner=flinkrunner"), equalTo(local));
      assertThat(confDir("--runner=org.apache.beam.runners.flink.FlinkRunner"), equalTo(local));
    }
    assertThat(confDir("--runner=FlinkRunner", "--flinkMaster=[local]", "--flinkConfDir=/etc/flink"),
        equalTo("/etc/flink"));
    assertThat(confDir("--runner=FlinkRunner", "--flinkMaster=jm:8081"), nullValue());
    assertThat(confDir("--flinkMaster=[local]"), nullValue()); // the Direct runner
  }

  private static String confDir(String... args) {
    return PipelineOptionsFactory.fromArgs(Cli.withRunnerDefaults(args))
        .as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getFlinkConfDir();
  }

  @Test
  void eachCommandsOptionsHaveAnIdOfTheirOwn() {
    // Beam numbers options 0, 1, ... in every JVM; two commands' jobs on one TaskManager must not share one
    PipelineOptions first = Cli.parse("test", new String[0], PipelineOptions.class);
    PipelineOptions second = Cli.parse("test", new String[0], PipelineOptions.class);
    assertThat(first.getOptionsId(), not(equalTo(second.getOptionsId())));
    assertThat(first.getOptionsId() > 1_000_000 || second.getOptionsId() > 1_000_000, equalTo(true));
  }

  @Test
  void aFullHeapSaysHowToGiveTheCommandMoreAndOtherFailuresKeepTheirMessage() {
    String oom = Cli.failure(new OutOfMemoryError("GC overhead limit exceeded"), 900L << 20);
    assertThat(oom, containsString("out of memory (GC overhead limit exceeded) with a heap of 900 MB"));
    assertThat(oom, containsString("CHEXAUDIT_HEAP"));
    assertThat(oom, containsString("--runner=FlinkRunner"));
    assertThat(Cli.failure(new IllegalStateException("no such file: a.jpg"), 900L << 20), equalTo("no such file: a.jpg"));
    assertThat(Cli.failure(new NullPointerException(), 900L << 20), equalTo("java.lang.NullPointerException"));
  }
}
