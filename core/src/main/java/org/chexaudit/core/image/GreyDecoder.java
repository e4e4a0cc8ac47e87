package org.chexaudit.core.image;

import java.io.Serializable;

/**
 * Decodes an encoded image held in memory into one grey channel, by the rules of {@link ImageDecoder}
 * (which any implementation must follow: same pixels for 8-bit grey JPEGs, same failure categories).
 * One instance is used by one thread at a time; {@link #close} releases what it holds (a native session).
 */
public interface GreyDecoder extends AutoCloseable {
  GreyImage decode(byte[] data) throws ImageDecodeException;

  /** A short name for logs and benchmarks, e.g. {@code "jdk-imageio"}. */
  String name();

  @Override
  default void close() {}

  /** Makes decoders on the workers; serialised with the transform that uses it. */
  interface Factory extends Serializable {
    GreyDecoder open();
  }

  /** The JDK's {@code javax.imageio} readers ({@link ImageDecoder}); needs no native library. */
  static Factory jdk() {
    return JdkFactory.INSTANCE;
  }

  /** The factory of {@link #jdk()}: a singleton, so the decoders it opens hold nothing. */
  enum JdkFactory implements Factory {
    INSTANCE;

    @Override
    public GreyDecoder open() {
      return new GreyDecoder() {
        @Override
        public GreyImage decode(byte[] data) throws ImageDecodeException {
          return ImageDecoder.decode(data);
        }

        @Override
        public String name() {
          return "jdk-imageio";
        }
      };
    }
  }
}
