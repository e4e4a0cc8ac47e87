package org.chexaudit.pipelines.options;

import java.util.List;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Registers Beam's {@link S3Options}, so that every command line takes {@code --s3ClientFactoryClass} (see
 * {@link PathStyleS3ClientBuilderFactory}), {@code --s3UploadBufferSizeBytes} and the SSE options. Beam
 * 2.70.0's AWS module registers only {@code AwsOptions} ({@code --awsRegion}, {@code --endpoint},
 * {@code --awsCredentialsProvider}); its S3 file system reads the rest through {@code as(S3Options.class)}.
 * Listed in {@code META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar}.
 */
public final class S3OptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(S3Options.class);
  }
}
