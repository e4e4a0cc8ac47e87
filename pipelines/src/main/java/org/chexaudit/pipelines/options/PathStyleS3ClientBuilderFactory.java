package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client with path-style requests ({@code http://host:port/bucket/key}), for an S3-compatible
 * service on a host name that has no DNS entry for {@code bucket.host} (S3Proxy, MinIO, Ceph): pass
 * {@code --s3ClientFactoryClass=org.chexaudit.pipelines.options.PathStyleS3ClientBuilderFactory}. Beam
 * 2.70.0's AWS options have no path-style switch of their own; {@link S3Options#getS3ClientFactoryClass}
 * is its documented way in. Everything else (region, endpoint, credentials, HTTP client) is Beam's
 * default builder's. An endpoint given as an IP address is addressed path-style by the AWS SDK anyway.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  public PathStyleS3ClientBuilderFactory() {}

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
