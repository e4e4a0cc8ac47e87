package org.chexaudit.transforms.image;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.core.image.GreyDecoder;
import org.chexaudit.core.image.JpegEncoder;
import org.chexaudit.transforms.coders.SpecificRecordCoder;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.io.ShardLayout;

/**
 * chexploration's image pre-processing (seeds-spec A2) as a transform: reads each cohort record's image
 * at {@code imageRoot/record.path}, decodes it to one grey channel, resizes it to {@code height x width}
 * the way {@code skimage.transform.resize(..., preserve_range=True).astype(np.uint8)} does, and emits an
 * {@link ImageExample} with the record's labels and attributes. {@link #withShorterSide} instead resizes
 * as CheXclusion's {@code transforms.Scale(N)} ({@link PillowResize}: shorter side to N, aspect kept,
 * Pillow's bilinear), leaving the centre crop to training and prediction. Missing, empty, unreadable, corrupt or
 * non-image files become {@link DeadLetter}s (stage {@value #STAGE}, source = the file, reason =
 * {@code "<category>: <detail>"}, categories from {@link ImageDecodeException.Reason}); the run goes on.
 *
 * <p>Records are reshuffled first so that decoding, the expensive part, spreads over all workers even
 * when the input comes from a single file. The records and images travel with {@link SpecificRecordCoder}s,
 * whose Java serialisation (paid per bundle by the Direct runner) is cheap. Optionally each resized image
 * is also written as a JPEG
 * {@code <jpegDir>/preproc_<h>x<w>/<file name of path_preproc>}, like the original's
 * {@code preproc_224x224/} folder. Images are read, and JPEGs written, through Beam's file systems: the
 * image root and the JPEG folder may be any Beam path ({@code /local}, {@code hdfs://}, {@code s3://}).
 */
public final class DecodeAndResize extends PTransform<PCollection<CohortRecord>, DecodeAndResize.Result> {
  public static final String STAGE = "DecodeAndResize";
  public static final int DEFAULT_SIZE = 224;
  public static final TupleTag<ImageExample> IMAGES = new TupleTag<>("DecodeAndResize.IMAGES") {};
  public static final TupleTag<DeadLetter> DEAD = new TupleTag<>("DecodeAndResize.DEAD") {};

  private final String imageRoot;
  private final int height;
  private final int width;
  private final String jpegDir;
  private final float jpegQuality;
  private final int spreadBuckets;
  /** 0: square {@code height x width} (chexploration); else the shorter side's length (CheXclusion). */
  private final int shorterSide;
  private final GreyDecoder.Factory decoder;

  private DecodeAndResize(String imageRoot, int height, int width, String jpegDir, float jpegQuality,
      int spreadBuckets, int shorterSide, GreyDecoder.Factory decoder) {
    this.imageRoot = imageRoot;
    this.height = height;
    this.width = width;
    this.jpegDir = jpegDir;
    this.jpegQuality = jpegQuality;
    this.spreadBuckets = spreadBuckets;
    this.shorterSide = shorterSide;
    this.decoder = decoder;
  }

  /**
   * Images are read from {@code imageRoot} (any Beam path, absolute) + each record's {@code path}; for
   * CheXpert, the folder that contains {@code CheXpert-v1.0/}.
   */
  public static DecodeAndResize from(String imageRoot) {
    checkArgumentNotNull(imageRoot, "DecodeAndResize imageRoot can not be null");
    // absolute here, on the client: a worker would resolve a relative path against its own directory
    return new DecodeAndResize(Resources.absolute(imageRoot), DEFAULT_SIZE, DEFAULT_SIZE, null, JpegEncoder.DEFAULT_QUALITY, 0, 0,
        GreyDecoder.jdk());
  }

  /** Square output of {@code size x size} pixels (default {@value #DEFAULT_SIZE}). */
  public DecodeAndResize withSize(int size) {
    return withSize(size, size);
  }

  public DecodeAndResize withSize(int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "DecodeAndResize size must be positive, got height=" + height + " width=" + width);
    }
    return new DecodeAndResize(imageRoot, height, width, jpegDir, jpegQuality, spreadBuckets, 0, decoder);
  }

  /**
   * CheXclusion's geometry: the shorter side becomes {@code size}, the longer one keeps the aspect
   * ({@link PillowResize#shorterSide}); images keep their own shape, recorded in each example.
   */
  public DecodeAndResize withShorterSide(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("DecodeAndResize shorterSide must be positive, got " + size);
    }
    return new DecodeAndResize(imageRoot, size, size, jpegDir, jpegQuality, spreadBuckets, size, decoder);
  }

  /** Also writes each resized image as a JPEG under {@code dir/preproc_<h>x<w>/} ({@code dir}: any Beam path). */
  public DecodeAndResize withJpegOutput(String dir) {
    checkArgumentNotNull(dir, "DecodeAndResize jpeg output folder can not be null");
    return new DecodeAndResize(imageRoot, height, width, Resources.absolute(dir), jpegQuality, spreadBuckets, shorterSide, decoder);
  }

  /** JPEG quality in (0, 1] for {@link #withJpegOutput} (default 0.75, Pillow's 75). */
  public DecodeAndResize withJpegQuality(float quality) {
    if (!(quality > 0 && quality <= 1)) {
      throw new IllegalArgumentException("DecodeAndResize jpegQuality must be in (0, 1], got " + quality);
    }
    return new DecodeAndResize(imageRoot, height, width, jpegDir, quality, spreadBuckets, shorterSide, decoder);
  }

  /**
   * Spreads the records over {@code buckets} keys, dealt out in turn, before decoding instead of one
   * random key per record (0, the default). On the Direct runner every bundle pays a fixed cost in each
   * downstream step (and AvroIO opens a temporary file per bundle), and a key per record makes one-record
   * bundles; one bucket per worker keeps all workers busy with the fewest bundles. Which record lands in which bucket
   * changes nothing in the output records.
   */
  public DecodeAndResize withSpreadBuckets(int buckets) {
    if (buckets < 0) {
      throw new IllegalArgumentException("DecodeAndResize spreadBuckets must be >= 0 (0: one per record), got "
          + buckets);
    }
    return new DecodeAndResize(imageRoot, height, width, jpegDir, jpegQuality, buckets, shorterSide, decoder);
  }

  /**
   * The JPEG decoder (default {@link GreyDecoder#jdk()}, the JDK's); one is opened per DoFn instance. It
   * must follow {@link org.chexaudit.core.image.ImageDecoder}'s rules, so the choice changes speed, not results.
   */
  public DecodeAndResize withDecoder(GreyDecoder.Factory decoder) {
    checkArgumentNotNull(decoder, "DecodeAndResize decoder can not be null");
    return new DecodeAndResize(imageRoot, height, width, jpegDir, jpegQuality, spreadBuckets, shorterSide, decoder);
  }

  /** The folder name the original used for the resized JPEGs, e.g. {@code preproc_224x224}. */
  public static String jpegFolderName(int height, int width) {
    return "preproc_" + height + "x" + width;
  }

  @Override
  public Result expand(PCollection<CohortRecord> input) {
    PCollectionTuple out = input
        .apply("Spread", spread())
        .apply("DecodeResize",
            ParDo.of(new DecodeFn(maker()))
                .withOutputTags(IMAGES, TupleTagList.of(DEAD)));
    return new Result(
        out.get(IMAGES).setCoder(SpecificRecordCoder.of(ImageExample.class)),
        out.get(DEAD).setCoder(SpecificRecordCoder.of(DeadLetter.class)));
  }

  /** One key per record, or {@code spreadBuckets} keys dealt out in turn, so the buckets are even. */
  private PTransform<PCollection<CohortRecord>, PCollection<CohortRecord>> spread() {
    if (spreadBuckets == 0) {
      return new PTransform<>() {
        @Override
        public PCollection<CohortRecord> expand(PCollection<CohortRecord> in) {
          return in.apply(Reshuffle.viaRandomKey()).setCoder(SpecificRecordCoder.of(CohortRecord.class));
        }
      };
    }
    return new PTransform<>() {
      @Override
      public PCollection<CohortRecord> expand(PCollection<CohortRecord> in) {
        return in.apply("DealBuckets", ParDo.of(new DealBucketsFn(spreadBuckets)))
            .setCoder(KvCoder.of(VarIntCoder.of(), SpecificRecordCoder.of(CohortRecord.class)))
            .apply("Group", Reshuffle.of())
            .apply("Records", Values.create());
      }
    };
  }

  /**
   * Deals records to buckets {@code 0..n-1} in turn from a random start per bundle: with random keys two
   * buckets of 100 images differ by about 10, and the worker with the larger one finishes last.
   */
  static final class DealBucketsFn extends DoFn<CohortRecord, KV<Integer, CohortRecord>> {
    private final int buckets;
    private int next;

    DealBucketsFn(int buckets) {
      this.buckets = buckets;
    }

    @StartBundle
    public void start() {
      next = ThreadLocalRandom.current().nextInt(buckets);
    }

    @ProcessElement
    public void process(@Element CohortRecord r, OutputReceiver<KV<Integer, CohortRecord>> out) {
      out.output(KV.of(next, r));
      next = (next + 1) % buckets;
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("imageRoot", imageRoot))
        .add(DisplayData.item("height", height))
        .add(DisplayData.item("width", width))
        .add(DisplayData.item("spreadBuckets", spreadBuckets))
        .add(DisplayData.item("shorterSide", shorterSide))
        .add(DisplayData.item("decoder", decoder.getClass().getName()))
        .addIfNotNull(DisplayData.item("jpegDir", jpegDir));
  }

  /** The decoded images and the records whose image could not be used. */
  public static final class Result extends WithDeadLetters<ImageExample> {
    Result(PCollection<ImageExample> images, PCollection<DeadLetter> deadLetters) {
      super(IMAGES, images, deadLetters);
    }

    public PCollection<ImageExample> images() {
      return made();
    }
  }

  /** The per-record work this transform is configured for. */
  ImageMaker maker() {
    return new ImageMaker(imageRoot, height, width, jpegDir, jpegQuality, shorterSide, decoder);
  }

  /**
   * Decodes and resizes the records' images straight into sorted shards laid out by {@code layout}, keyed by
   * the record's id, one destination per split ({@link DecodeToShards}), instead of emitting the images.
   * {@link #withSpreadBuckets} does not apply there: the shards themselves are dealt out to the workers.
   */
  public DecodeToShards toShards(ShardLayout layout) {
    return new DecodeToShards(this, layout);
  }

  static final class DecodeFn extends ImageMaker.Fn<CohortRecord, ImageExample> {
    DecodeFn(ImageMaker maker) {
      super(maker);
    }

    @ProcessElement
    public void process(@Element CohortRecord r, MultiOutputReceiver out) throws IOException {
      maker.make(r, out.get(IMAGES)::output, out.get(DEAD)::output);
    }
  }
}
