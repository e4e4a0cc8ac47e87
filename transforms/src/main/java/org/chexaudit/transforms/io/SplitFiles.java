package org.chexaudit.transforms.io;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.transforms.coders.JavaSerializationCoder;

/**
 * The files matching a pattern (any Beam path) as byte ranges of at most {@code rangeBytes}, spread
 * over the workers, so that one large text file is read by many workers at once. An empty match is
 * an error naming the pattern.
 *
 * <p>The pattern is matched by the step that cuts the ranges, not by {@code FileIO.match()}, whose own
 * reshuffle of the few matched files adds eight steps: on the Direct runner each step costs every bundle a
 * translation and every look for work a visit (issue 15).
 */
public final class SplitFiles extends PTransform<PBegin, PCollection<FileRange>> {
  /**
   * Default range size, 64 MiB: enough ranges to spread a large file, few enough that the partial
   * results a range makes (a histogram per subgroup in metrics) stay few.
   */
  public static final long DEFAULT_RANGE_BYTES = 64L << 20;
  private final String pattern;
  private final long rangeBytes;

  private SplitFiles(String pattern, long rangeBytes) {
    this.pattern = pattern;
    this.rangeBytes = rangeBytes;
  }

  public static SplitFiles of(String pattern) {
    checkArgument(pattern != null && !pattern.isEmpty(), "SplitFiles: pattern can not be empty");
    return new SplitFiles(pattern, DEFAULT_RANGE_BYTES);
  }

  /** Range size in bytes; {@link Long#MAX_VALUE} keeps every file whole. */
  public SplitFiles withRangeBytes(long rangeBytes) {
    checkArgument(rangeBytes >= 1, "SplitFiles: rangeBytes must be >= 1, got %s", rangeBytes);
    return new SplitFiles(pattern, rangeBytes);
  }

  @Override
  public PCollection<FileRange> expand(PBegin begin) {
    return begin
        .apply("Start", Impulse.create())
        .apply("Ranges", ParDo.of(new RangesFn(pattern, rangeBytes)))
        .setCoder(JavaSerializationCoder.of(FileRange.class))
        .apply("Spread", Reshuffle.viaRandomKey());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("pattern", pattern)).add(DisplayData.item("rangeBytes", rangeBytes));
  }

  private static final class RangesFn extends DoFn<byte[], FileRange> {
    private final String pattern;
    private final long rangeBytes;

    RangesFn(String pattern, long rangeBytes) {
      this.pattern = pattern;
      this.rangeBytes = rangeBytes;
    }

    @ProcessElement
    public void process(OutputReceiver<FileRange> out) {
      for (MatchResult.Metadata file : matched()) {
        String name = file.resourceId().toString();
        long size = file.sizeBytes();
        if (size == 0) {
          out.output(new FileRange(name, 0, 0));
          continue;
        }
        for (long start = 0; start < size; start += rangeBytes) {
          out.output(new FileRange(name, start, start + Math.min(rangeBytes, size - start)));
        }
      }
    }

    /** The files the pattern matches, by name; none is an error naming the pattern. */
    private List<MatchResult.Metadata> matched() {
      List<MatchResult.Metadata> files = Resources.match(pattern);
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no file matches " + pattern);
      }
      return files;
    }
  }
}
