package org.chexaudit.transforms.ml;

import org.chexaudit.core.image.GreyDecoder;
import org.chexaudit.core.image.GreyImage;
import org.chexaudit.core.image.ImageDecodeException;
import org.chexaudit.core.image.ImageDecoder;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Decodes 8-bit greyscale JPEGs with libjpeg-turbo, through TensorFlow's {@code DecodeJpeg} op (accurate
 * integer IDCT: the same pixels as the JDK's libjpeg and as skimage/Pillow, which also read JPEGs through
 * libjpeg-turbo), faster than the JDK's reader. Everything else (colour JPEGs, whose luminance rule
 * differs, PNG, files libjpeg-turbo refuses or that claim more than {@link ImageDecoder#MAX_PIXELS}) goes
 * to {@link ImageDecoder}, which gives the pixels or the failure category, so the rules stay one.
 *
 * <p>One TensorFlow session per decoder, running on the calling thread's share: one intra-op and one
 * inter-op thread in its own pools, so decoders on different workers do not queue behind each other. Running the
 * op on the calling thread instead (a negative inter-op count, no pools of its own) saved 0.07 ms of 0.53 per small
 * image on one thread, but two workers' full-size decodes then contended: 46 -> 77 ms of process CPU per image
 * (measured 2026-12-04, not kept).
 */
public final class TurboJpegDecoder implements GreyDecoder {
  private final Graph graph;
  private final Session session;
  private final Placeholder<TString> input;
  private final DecodeJpeg decode;

  private TurboJpegDecoder() {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    input = tf.placeholder(TString.class);
    decode = tf.image.decodeJpeg(input, DecodeJpeg.channels(1L), DecodeJpeg.dctMethod("INTEGER_ACCURATE"));
    session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
        .setInterOpParallelismThreads(1).setUsePerSessionThreads(true).putDeviceCount("GPU", 0).build());
  }

  /** A factory for {@code DecodeAndResize.withDecoder}: each worker's DoFn opens its own session. */
  public static GreyDecoder.Factory factory() {
    return Factory.INSTANCE;
  }

  private enum Factory implements GreyDecoder.Factory {
    INSTANCE;

    @Override
    public GreyDecoder open() {
      return new TurboJpegDecoder();
    }
  }

  @Override
  public GreyImage decode(byte[] data) throws ImageDecodeException {
    int[] frame = JpegFrame.greyFrame(data);
    if (frame == null || (long) frame[0] * frame[1] > ImageDecoder.MAX_PIXELS) {
      return ImageDecoder.decode(data);
    }
    try (TString in = TString.tensorOfBytes(NdArrays.scalarOfObject(data));
        Result r = session.runner().feed(input, in).fetch(decode).run()) {
      TUint8 pixels = (TUint8) r.get(0);
      long h = pixels.shape().get(0);
      long w = pixels.shape().get(1);
      byte[] out = new byte[Math.toIntExact(h * w)];
      pixels.asRawTensor().data().read(out);
      return GreyImage.ofBytes((int) w, (int) h, out);
    } catch (RuntimeException e) {
      // refused by libjpeg-turbo (TensorFlow reports it as TFInvalidArgumentException, an
      // IllegalArgumentException): the JDK's reader names the failure (or, rarely, reads it)
      return ImageDecoder.decode(data);
    }
  }

  @Override
  public String name() {
    return "libjpeg-turbo (TensorFlow DecodeJpeg)";
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
