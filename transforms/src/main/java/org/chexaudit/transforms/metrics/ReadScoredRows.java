package org.chexaudit.transforms.metrics;

import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.io.IdHash;
import static org.chexaudit.core.Checks.checkArgument;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ScoredRowBatch;
import org.chexaudit.transforms.coders.LongArrayCoder;
import org.chexaudit.transforms.coders.ScoredRowBatchCoder;
import org.chexaudit.transforms.coders.ScoredRowCoder;
import org.chexaudit.transforms.io.AvroColumns;
import org.chexaudit.transforms.io.CsvLine;
import org.chexaudit.transforms.io.FileRange;
import org.chexaudit.transforms.io.RowPlace;
import org.chexaudit.transforms.io.SplitFiles;
import org.chexaudit.transforms.io.TextRangeReader;

/**
 * Reads predictions into {@link ScoredRow}s inside the pipeline: the files matching a pattern, either
 * CSVs with a header (any columns; see {@link ScoredRowColumns}) or Avro files (predict's
 * {@code predictions/*.avro}, seen through {@link AvroColumns}). The header is read once, when the
 * graph is built, from the first file; every file must have the same columns.
 *
 * <p>A CSV is read in byte ranges ({@link SplitFiles}) by many workers at once, one record per line;
 * a CSV without the id column is read whole, since its rows are named by their line. Avro files are
 * read whole, one worker per file. With {@link #withGroupsFile} the attribute columns come from a
 * second CSV joined by id with a {@link CoGroupByKey} on hash buckets of the id ({@link #withIdBuckets}; not a
 * side input: a groups file has one row per image, as large as the predictions). Bad input fails the run with the file, line and column:
 * non-numeric, NaN or infinite scores, targets other than 0/1, an id listed twice, an id missing from
 * the groups file. The {@code rows} counter in this class's namespace counts the rows read.
 */
public final class ReadScoredRows extends PTransform<PBegin, PCollection<ScoredRow>> {
  /** Counter of the prediction rows read. */
  public static final String ROWS = "rows";
  /**
   * Ids are checked and joined in this many buckets (by hash), not one key per id: the Direct runner
   * keeps a watermark hold per key, and a million keys made the grouping quadratic (JFR: its
   * WatermarkManager's per-key holds). A bucket holds 1/1024 of the ids.
   */
  public static final int ID_BUCKETS = 1024;
  private final String pattern;
  private final ScoredRowColumns columns;
  private final String groupsFile;
  private final long rangeBytes;
  private final int idBuckets;

  private ReadScoredRows(String pattern, ScoredRowColumns columns, String groupsFile, long rangeBytes, int idBuckets) {
    this.pattern = pattern;
    this.columns = columns;
    this.groupsFile = groupsFile;
    this.rangeBytes = rangeBytes;
    this.idBuckets = idBuckets;
  }

  /** Rows of the files matching {@code pattern} (any Beam path or glob), made by {@code columns}. */
  public static ReadScoredRows from(String pattern, ScoredRowColumns columns) {
    checkArgument(pattern != null && !pattern.isEmpty(), "ReadScoredRows: pattern can not be empty");
    checkArgument(columns != null, "ReadScoredRows: columns can not be null");
    return new ReadScoredRows(pattern, columns, null, SplitFiles.DEFAULT_RANGE_BYTES, ID_BUCKETS);
  }

  /** Takes the attribute columns from this CSV, joined to the predictions by the id column. */
  public ReadScoredRows withGroupsFile(String groupsFile) {
    checkArgument(groupsFile != null && !groupsFile.isEmpty(), "ReadScoredRows: groupsFile can not be empty");
    return new ReadScoredRows(pattern, columns, groupsFile, rangeBytes, idBuckets);
  }

  /** Size of the byte ranges CSVs are read in. */
  public ReadScoredRows withRangeBytes(long rangeBytes) {
    checkArgument(rangeBytes >= 1, "ReadScoredRows: rangeBytes must be >= 1, got %s", rangeBytes);
    return new ReadScoredRows(pattern, columns, groupsFile, rangeBytes, idBuckets);
  }

  /**
   * How many hash buckets of the id the duplicate check and the groups join use (default
   * {@value #ID_BUCKETS}). Results do not depend on it. The Direct runner makes one bundle per bucket
   * in every step after the join and pays a fixed cost per bundle, so a few per worker suit it best.
   */
  public ReadScoredRows withIdBuckets(int buckets) {
    checkArgument(buckets >= 1, "ReadScoredRows: idBuckets must be >= 1, got %s", buckets);
    return new ReadScoredRows(pattern, columns, groupsFile, rangeBytes, buckets);
  }

  @Override
  public PCollection<ScoredRow> expand(PBegin begin) {
    Parsed parsed = parse(begin, false);
    if (groupsFile != null) {
      return joinGroups(begin, parsed.keyed());
    }
    parsed.refuseRepeatedIds();
    return parsed.tuple.get(parsed.rowsTag);
  }

  /**
   * The same rows in {@link ScoredRowBatch}es of at most {@link BatchScoredRows#BATCH_ROWS} (a batch never spans
   * two ranges or files): for {@link SubgroupMetrics#onBatches}, so a million rows are not a million elements.
   */
  public PTransform<PBegin, PCollection<ScoredRowBatch>> batches() {
    return new Batches(this);
  }

  private static final class Batches extends PTransform<PBegin, PCollection<ScoredRowBatch>> {
    private final ReadScoredRows spec;

    Batches(ReadScoredRows spec) {
      this.spec = spec;
    }

    @Override
    public PCollection<ScoredRowBatch> expand(PBegin begin) {
      if (spec.groupsFile != null) {
        // joined rows come bucket by bucket, then go out in batches
        Parsed parsed = spec.parse(begin, false);
        return spec.joinGroups(begin, parsed.keyed())
            .apply("BatchRows", BatchScoredRows.of(spec.columns.labelCount(), spec.columns.attributes().size()));
      }
      Parsed parsed = spec.parse(begin, true);
      parsed.refuseRepeatedIds();
      return parsed.tuple.get(parsed.batchesTag);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      spec.populateDisplayData(builder);
    }
  }

  /** The parse step's outputs: rows or batches, rows keyed for the join, and id hashes for the repeat check. */
  private final class Parsed {
    final TupleTag<ScoredRow> rowsTag = newTag();
    final TupleTag<ScoredRowBatch> batchesTag = newTag();
    final TupleTag<KV<Integer, KV<ScoredRow, RowPlace>>> keyedTag = newTag();
    final TupleTag<KV<Integer, long[]>> placesTag = newTag();
    final boolean avro;
    final ScoredRowColumns.Bound bound;
    PCollectionTuple tuple;

    Parsed(boolean avro, ScoredRowColumns.Bound bound) {
      this.avro = avro;
      this.bound = bound;
    }

    PCollection<KV<Integer, KV<ScoredRow, RowPlace>>> keyed() {
      return tuple.get(keyedTag);
    }

    /** Fails the run on an id listed twice (when the table has ids). */
    void refuseRepeatedIds() {
      if (bound.hasId()) {
        tuple.get(placesTag)
            .apply("GroupIds", GroupByKey.create())
            .apply("RefuseRepeatedIds", ParDo.of(new RefuseRepeatedIdsFn(pattern, avro, bound)));
      }
    }
  }

  /** A tag made in a static context: the DoFns that hold it are serialised, and it must not hold this class. */
  private static <T> TupleTag<T> newTag() {
    return new TupleTag<>();
  }

  private Parsed parse(PBegin begin, boolean batched) {
    String first = firstMatch(pattern, "predictions");
    boolean avro = first.endsWith(".avro");
    List<String> header = avro ? avroColumns(first).names() : csvHeader(first);
    boolean join = groupsFile != null;
    ScoredRowColumns.Bound bound = columns.bind(first, header, !join);
    if (avro && !bound.hasId()) {
      throw new IllegalArgumentException(first + ": column '" + columns.idColumn() + "' (--idColumn) not found;"
          + " Avro predictions need an id column; columns are " + header);
    }
    Parsed out = new Parsed(avro, bound);
    ParseFn parse = new ParseFn(bound, header, join, idBuckets, out.rowsTag, batched ? out.batchesTag : null,
        out.keyedTag, out.placesTag, columns.labelCount(), columns.attributes().size());
    TupleTagList more = TupleTagList.of(out.batchesTag).and(out.keyedTag).and(out.placesTag);
    if (avro) {
      out.tuple = begin
          .apply("MatchPredictions", FileIO.match().filepattern(Resources.matchSpec(pattern))
              .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
          .apply("ParseAvro", ParDo.of(new ParseAvroFn(parse)).withOutputTags(out.rowsTag, more));
    } else {
      out.tuple = begin
          .apply("SplitPredictions", SplitFiles.of(pattern).withRangeBytes(bound.hasId() ? rangeBytes : Long.MAX_VALUE))
          .apply("ParseCsv", ParDo.of(new ParseCsvFn(parse)).withOutputTags(out.rowsTag, more));
    }
    out.tuple.get(out.rowsTag).setCoder(ScoredRowCoder.of());
    out.tuple.get(out.batchesTag).setCoder(ScoredRowBatchCoder.of());
    out.tuple.get(out.keyedTag).setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(ScoredRowCoder.of(), RowPlace.Coder.of())));
    out.tuple.get(out.placesTag).setCoder(KvCoder.of(VarIntCoder.of(), LongArrayCoder.of()));
    return out;
  }

  private PCollection<ScoredRow> joinGroups(PBegin begin, PCollection<KV<Integer, KV<ScoredRow, RowPlace>>> rows) {
    String first = firstMatch(groupsFile, "groups file");
    int[] idx = columns.bindGroups(first, csvHeader(first));
    PCollection<KV<Integer, KV<List<String>, RowPlace>>> groups = begin
        .apply("SplitGroups", SplitFiles.of(groupsFile).withRangeBytes(rangeBytes))
        .apply("ParseGroups", ParDo.of(new ParseGroupsFn(idx, csvHeader(first), idBuckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(),
            KvCoder.of(ListCoder.of(NullableCoder.of(StringUtf8Coder.of())), RowPlace.Coder.of())));
    TupleTag<KV<ScoredRow, RowPlace>> rowsTag = new TupleTag<>() {};
    TupleTag<KV<List<String>, RowPlace>> groupsTag = new TupleTag<>() {};
    return KeyedPCollectionTuple.of(rowsTag, rows).and(groupsTag, groups)
        .apply("JoinGroups", CoGroupByKey.create())
        .apply("AttachGroups", ParDo.of(new AttachGroupsFn(rowsTag, groupsTag)))
        .setCoder(ScoredRowCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("pattern", pattern)).add(DisplayData.item("rangeBytes", rangeBytes));
    if (groupsFile != null) {
      builder.add(DisplayData.item("groupsFile", groupsFile));
    }
  }

  /** The first file matching {@code pattern}, or an error naming it and {@code what}. */
  static String firstMatch(String pattern, String what) {
    try {
      MatchResult m = FileSystems.match(Resources.matchSpec(pattern), EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
        throw new IllegalArgumentException(what + " file not found: " + pattern);
      }
      return m.metadata().stream().map(md -> md.resourceId().toString()).sorted().findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + pattern, e);
    }
  }

  /** The header of a CSV: its first line's fields, without a UTF-8 byte-order mark. */
  static List<String> csvHeader(String file) {
    List<List<String>> header = new ArrayList<>();
    try {
      TextRangeReader.read(new FileRange(file, 0, 1), (offset, buf, from, to) -> {
        CsvLine line = new CsvLine();
        int start = to - from >= 3 && (buf[from] & 0xff) == 0xEF && (buf[from + 1] & 0xff) == 0xBB
            && (buf[from + 2] & 0xff) == 0xBF ? from + 3 : from;
        if (!line.split(buf, start, to)) {
          throw new IllegalArgumentException(file + " line 1: a quoted field is never closed");
        }
        header.add(line.texts());
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (header.isEmpty()) {
      throw new IllegalArgumentException(file + ": empty file, expected a header line");
    }
    return header.get(0);
  }

  private static AvroColumns avroColumns(String file) {
    try {
      return AvroColumns.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Turns one row's fields into its outputs: the row alone (or in a batch), or keyed by id for the join, and its
   * place.
   */
  private static final class ParseFn implements java.io.Serializable {
    final ScoredRowColumns.Bound bound;
    final List<String> header;
    final boolean join;
    final int idBuckets;
    final TupleTag<ScoredRow> rowsTag;
    /** Null when the rows go out one by one. */
    final TupleTag<ScoredRowBatch> batchesTag;
    final TupleTag<KV<Integer, KV<ScoredRow, RowPlace>>> keyedTag;
    final TupleTag<KV<Integer, long[]>> placesTag;
    final int labels;
    final int attributes;
    final Counter rows = Metrics.counter(ReadScoredRows.class, ROWS);

    ParseFn(ScoredRowColumns.Bound bound, List<String> header, boolean join, int idBuckets,
        TupleTag<ScoredRow> rowsTag, TupleTag<ScoredRowBatch> batchesTag,
        TupleTag<KV<Integer, KV<ScoredRow, RowPlace>>> keyedTag, TupleTag<KV<Integer, long[]>> placesTag,
        int labels, int attributes) {
      this.bound = bound;
      this.header = header;
      this.join = join;
      this.idBuckets = idBuckets;
      this.rowsTag = rowsTag;
      this.batchesTag = batchesTag;
      this.keyedTag = keyedTag;
      this.placesTag = placesTag;
      this.labels = labels;
      this.attributes = attributes;
    }

    /** One range's or file's outputs: what {@link #emit} fills, sent by {@link Sink#finish}. */
    Sink sink(DoFn.MultiOutputReceiver out) {
      return new Sink(out);
    }

    final class Sink {
      private final DoFn.MultiOutputReceiver out;
      private final IdHashes ids = new IdHashes(idBuckets);
      private final BatchScoredRows.Batcher batcher = new BatchScoredRows.Batcher(labels, attributes);

      Sink(DoFn.MultiOutputReceiver out) {
        this.out = out;
      }

      /** Emits the row; adds its id's hash to the ids checked when the table has ids. */
      void emit(ScoredRowColumns.Fields v, long line, RowPlace place) {
        String id = bound.id(v, line);
        ScoredRow row = bound.row(v, id, place::describe);
        rows.inc();
        if (join) {
          out.get(keyedTag).output(KV.of(bucket(id, idBuckets), KV.of(row, place)));
          return;
        }
        if (batchesTag == null) {
          out.get(rowsTag).output(row);
        } else {
          batcher.add(row, out.get(batchesTag)::output);
        }
        if (bound.hasId()) {
          ids.add(id);
        }
      }

      /** Sends the last batch and the id hashes. */
      void finish() {
        if (batchesTag != null) {
          batcher.finish(out.get(batchesTag)::output);
        }
        ids.emit(out.get(placesTag));
      }
    }
  }

  private static final class ParseCsvFn extends DoFn<FileRange, ScoredRow> {
    private final ParseFn parse;

    ParseCsvFn(ParseFn parse) {
      this.parse = parse;
    }

    @ProcessElement
    public void process(@Element FileRange range, MultiOutputReceiver out) throws IOException {
      CsvLine line = new CsvLine();
      ScoredRowColumns.Fields fields = new ScoredRowColumns.Fields() {
        @Override
        public String text(int i) {
          return line.text(i);
        }

        @Override
        public double number(int i) {
          return line.number(i);
        }
      };
      long[] lineNumber = {0}; // counted from the range's start: the file's line when the range starts at 0
      ParseFn.Sink sink = parse.sink(out);
      TextRangeReader.read(range, (offset, buf, from, to) -> {
        lineNumber[0]++;
        if (offset == 0) {
          checkHeader(range.file(), buf, from, to);
          return;
        }
        if (from == to) {
          return; // blank line
        }
        RowPlace place = RowPlace.line(range.file(), offset);
        if (!line.split(buf, from, to)) {
          throw new IllegalArgumentException(place.describe() + ": a quoted field runs past the end of the line;"
              + " fields with line breaks are not supported");
        }
        sink.emit(fields, lineNumber[0], place);
      });
      sink.finish();
    }

    private void checkHeader(String file, byte[] buf, int from, int to) {
      CsvLine h = new CsvLine();
      int start = to - from >= 3 && (buf[from] & 0xff) == 0xEF && (buf[from + 1] & 0xff) == 0xBB
          && (buf[from + 2] & 0xff) == 0xBF ? from + 3 : from;
      if (!h.split(buf, start, to) || !h.texts().equals(parse.header)) {
        throw new IllegalArgumentException(file + ": its header differs from the first file's " + parse.header);
      }
    }
  }

  private static final class ParseAvroFn extends DoFn<MatchResult.Metadata, ScoredRow> {
    private final ParseFn parse;

    ParseAvroFn(ParseFn parse) {
      this.parse = parse;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) throws IOException {
      String name = file.resourceId().toString();
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()));
          DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
        AvroColumns columns = null;
        ParseFn.Sink sink = parse.sink(out);
        long n = 0;
        while (records.hasNext()) {
          GenericRecord r = records.next();
          n++;
          if (columns == null) {
            columns = AvroColumns.of(name);
            if (!columns.names().equals(parse.header)) {
              throw new IllegalArgumentException(name + ": its columns " + columns.names()
                  + " differ from the first file's " + parse.header);
            }
          }
          AvroColumns c = columns;
          sink.emit(i -> c.text(r, i), n, RowPlace.record(name, n));
        }
        sink.finish();
      }
    }
  }

  static int bucket(String id, int buckets) {
    return Math.floorMod(id.hashCode(), buckets);
  }

  /** A groups row as (bucket, ([id, attribute...], place)). */
  private static final class ParseGroupsFn extends DoFn<FileRange, KV<Integer, KV<List<String>, RowPlace>>> {
    private final int[] idx;
    private final List<String> header;
    private final int idBuckets;

    ParseGroupsFn(int[] idx, List<String> header, int idBuckets) {
      this.idx = idx;
      this.header = header;
      this.idBuckets = idBuckets;
    }

    @ProcessElement
    public void process(@Element FileRange range, OutputReceiver<KV<Integer, KV<List<String>, RowPlace>>> out)
        throws IOException {
      CsvLine line = new CsvLine();
      TextRangeReader.read(range, (offset, buf, from, to) -> {
        if (offset == 0 || from == to) {
          return; // the header (checked against the first file's below), or a blank line
        }
        RowPlace place = RowPlace.line(range.file(), offset);
        if (!line.split(buf, from, to)) {
          throw new IllegalArgumentException(place.describe() + ": a quoted field runs past the end of the line");
        }
        List<String> idAndAttrs = new ArrayList<>(idx.length);
        for (int a = 0; a < idx.length; a++) {
          idAndAttrs.add(line.text(idx[a]));
        }
        out.output(KV.of(bucket(idAndAttrs.get(0), idBuckets), KV.of(idAndAttrs, place)));
      });
      if (range.start() == 0 && !csvHeader(range.file()).equals(header)) {
        throw new IllegalArgumentException(range.file() + ": its header differs from the first groups file's " + header);
      }
    }
  }

  /**
   * An id listed twice would be counted twice in every metric: refused, naming both places. The ids
   * travel as 64-bit hashes, sorted per range and bucket (8 bytes a row, in bulk); only when two hashes
   * are equal are the files read again to find the rows and their places (a hash collision of two
   * different ids then passes).
   */
  private static final class RefuseRepeatedIdsFn extends DoFn<KV<Integer, Iterable<long[]>>, Void> {
    private final String pattern;
    private final boolean avro;
    private final ScoredRowColumns.Bound bound;

    RefuseRepeatedIdsFn(String pattern, boolean avro, ScoredRowColumns.Bound bound) {
      this.pattern = pattern;
      this.avro = avro;
      this.bound = bound;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<long[]>> bucket) throws IOException {
      // one pass over the grouped values: Flink's batch runner does not re-iterate a GroupByKey result
      List<long[]> parts = new ArrayList<>();
      int n = 0;
      for (long[] part : bucket.getValue()) {
        parts.add(part);
        n += part.length;
      }
      long[] all = new long[n];
      int k = 0;
      for (long[] part : parts) {
        System.arraycopy(part, 0, all, k, part.length);
        k += part.length;
      }
      Arrays.sort(all);
      java.util.Set<Long> repeated = new java.util.HashSet<>();
      for (int i = 1; i < n; i++) {
        if (all[i] == all[i - 1]) {
          repeated.add(all[i]);
        }
      }
      if (!repeated.isEmpty()) {
        Map<String, List<RowPlace>> places = new java.util.TreeMap<>();
        IdScan.scan(pattern, avro, bound, (id, place) -> {
          if (repeated.contains(IdHash.of(id))) {
            places.computeIfAbsent(id, x -> new ArrayList<>()).add(place);
          }
        });
        places.forEach(ReadScoredRows::refuseRepeated);
      }
    }
  }

  static void refuseRepeated(String id, Iterable<RowPlace> places) {
    List<RowPlace> all = new ArrayList<>();
    places.forEach(all::add);
    if (all.size() > 1) {
      all.sort(Comparator.comparing(RowPlace::file).thenComparingLong(RowPlace::sortKey));
      throw new IllegalArgumentException(all.get(1).describe() + ": id '" + id + "' already on "
          + (all.get(0).file().equals(all.get(1).file()) ? all.get(0).position() : all.get(0).describe()));
    }
  }

  /** Joins one bucket: its groups rows by id, then each prediction row with its groups. */
  private static final class AttachGroupsFn extends DoFn<KV<Integer, CoGbkResult>, ScoredRow> {
    private final TupleTag<KV<ScoredRow, RowPlace>> rowsTag;
    private final TupleTag<KV<List<String>, RowPlace>> groupsTag;

    AttachGroupsFn(TupleTag<KV<ScoredRow, RowPlace>> rowsTag, TupleTag<KV<List<String>, RowPlace>> groupsTag) {
      this.rowsTag = rowsTag;
      this.groupsTag = groupsTag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> e, OutputReceiver<ScoredRow> out) {
      Map<String, KV<List<String>, RowPlace>> groups = new HashMap<>();
      for (KV<List<String>, RowPlace> g : e.getValue().getAll(groupsTag)) {
        KV<List<String>, RowPlace> before = groups.putIfAbsent(g.getKey().get(0), g);
        if (before != null) {
          RowPlace later = before.getValue().sortKey() > g.getValue().sortKey() ? before.getValue() : g.getValue();
          throw new IllegalArgumentException(later.describe() + ": duplicate id '" + g.getKey().get(0) + "'");
        }
      }
      Map<String, RowPlace> seen = new HashMap<>();
      for (KV<ScoredRow, RowPlace> r : e.getValue().getAll(rowsTag)) {
        String id = r.getKey().id();
        RowPlace before = seen.putIfAbsent(id, r.getValue());
        if (before != null) {
          refuseRepeated(id, List.of(before, r.getValue()));
        }
        KV<List<String>, RowPlace> g = groups.get(id);
        if (g == null) {
          throw new IllegalArgumentException(r.getValue().describe() + ": id '" + id + "' not found in the groups file");
        }
        out.output(r.getKey().withAttributes(g.getKey().subList(1, g.getKey().size()).toArray(String[]::new)));
      }
    }
  }
}
