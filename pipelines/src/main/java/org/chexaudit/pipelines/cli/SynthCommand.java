package org.chexaudit.pipelines.cli;

import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chexaudit.transforms.io.Resources;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chexaudit.pipelines.options.SynthOptions;
import org.chexaudit.synth.ChexpertFormat;
import org.chexaudit.synth.LabelRates;
import org.chexaudit.synth.MimicFormatWriter;
import org.chexaudit.synth.NihFormatWriter;
import org.chexaudit.synth.PlantedGap;
import org.chexaudit.synth.PrevalenceShift;
import org.chexaudit.synth.SynthConfig;
import org.chexaudit.synth.SynthGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.options.SeedOption;
import org.chexaudit.pipelines.options.SynthFormat;
import org.chexaudit.pipelines.options.ThreadsOption;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code synth} command: writes a CheXpert-format folder ({@code CheXpert-v1.0/train.csv},
 * {@code CHEXPERT DEMO.xlsx}, JPEGs under {@code CheXpert-v1.0/train/}) with planted, known effects,
 * so every later stage can be checked against what was put in. Images are painted by a plain thread
 * pool: each is a pure function of (seed, patient, study, view), so output is identical for any
 * thread count.
 */
public final class SynthCommand {
  private static final Logger LOG = LoggerFactory.getLogger(SynthCommand.class);
  static final String COMMAND = "synth";
  /** Seed of the generated data without {@code --seed}. */
  static final long DEFAULT_SEED = 42;

  private SynthCommand() {}

  /** What a run wrote. */
  public record Result(String output, SynthGenerator.TableCounts tables, long images,
      double tableSeconds, double imageSeconds) {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, SynthOptions.class, SynthCommand::run);
  }

  public static Result run(SynthOptions options) {
    SynthConfig config = config(options);
    int threads = ThreadsOption.threadsOrCores(options);
    StageOutput out = StageOutput.begin(COMMAND, options.getOutput(), options.getOverwrite());
    // The generators write local files; a folder on another file system is generated locally and copied.
    Path local = null;
    try {
      local = out.isLocal() ? out.tmp() : Files.createTempDirectory("chexaudit-synth-");
      SynthFormat format = options.getFormat();
      if (format != SynthFormat.chexpert) {
        return otherFormat(format, options, config, out, local);
      }
      if (options.getPlantedGap() != null) {
        throw new IllegalArgumentException("--plantedGap needs --format=mimic or --format=nih");
      }
      SynthGenerator generator = new SynthGenerator(config);
      long t0 = System.nanoTime();
      SynthGenerator.TableCounts tables = generator.writeTables(local);
      double tableSeconds = (System.nanoTime() - t0) / 1e9;
      LOG.info(String.format("synth: %d train.csv rows (%d patients), %d spreadsheet rows in %.2f s (%.0f rows/s)",
          tables.trainRows(), tables.trainPatients(), tables.demoRows(), tableSeconds,
          tables.trainRows() / tableSeconds));
      long images = 0;
      double imageSeconds = 0;
      if (options.getImages()) {
        long t1 = System.nanoTime();
        images = generator.writeImages(local, threads, (done, total, rate) ->
            LOG.info(String.format("synth: images %d/%d (%.0f images/s)", done, total, rate)));
        imageSeconds = (System.nanoTime() - t1) / 1e9;
      }
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("train_rows", tables.trainRows());
      counts.put("train_patients", tables.trainPatients());
      counts.put("demo_rows", tables.demoRows());
      counts.put("demo_only_patients", tables.demoOnlyPatients());
      counts.put("missing_from_demo", tables.missingFromDemo());
      counts.put("images", images);
      Map<String, Object> opts = manifestOptions(options, config);
      opts.put("threads", threads);
      String done = commit(out, local, opts, counts);
      LOG.info(String.format("synth: wrote %s (train.csv %s/%s, demographics %s/%s)", done,
          done, ChexpertFormat.TRAIN_CSV, done, ChexpertFormat.DEMO_XLSX));
      return new Result(done, tables, images, tableSeconds, imageSeconds);
    } catch (IOException e) {
      out.abort();
      throw new UncheckedIOException("synth: cannot write " + options.getOutput() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    } finally {
      if (local != null && !out.isLocal()) {
        StageOutput.deleteRecursively(local);
      }
    }
  }

  /** Copies a locally generated folder to the output's file system, then writes the manifest. */
  private static String commit(StageOutput out, Path local, Map<String, Object> opts, Map<String, Object> counts) {
    if (!out.isLocal()) {
      long t0 = System.nanoTime();
      Resources.upload(local, out.dir());
      LOG.info(String.format("synth: copied to %s in %.1f s", Resources.path(out.dir()), (System.nanoTime() - t0) / 1e9));
    }
    return out.commit(opts, counts);
  }

  /** Writes a MIMIC-CXR- or ChestX-ray14-format folder (CheXclusion's other datasets). */
  private static Result otherFormat(SynthFormat format, SynthOptions options, SynthConfig config, StageOutput out,
      Path local) throws IOException {
    PlantedGap gap = options.getPlantedGap() == null ? null : PlantedGap.parse(options.getPlantedGap());
    long t0 = System.nanoTime();
    Map<String, Object> counts = new LinkedHashMap<>();
    long images;
    switch (format) {
      case mimic -> {
        MimicFormatWriter.Counts c = new MimicFormatWriter(config, gap).write(local, options.getImages());
        counts.put("subjects", c.subjects());
        counts.put("studies", c.studies());
        images = c.images();
      }
      case nih -> {
        NihFormatWriter.Counts c = new NihFormatWriter(config, gap).write(local, options.getImages());
        counts.put("patients", c.patients());
        counts.put("rows", c.rows());
        images = c.images();
      }
      default -> throw new IllegalStateException("not another format: " + format);
    }
    counts.put("images", images);
    double seconds = (System.nanoTime() - t0) / 1e9;
    String done = commit(out, local, manifestOptions(options, config), counts);
    LOG.info(String.format("synth: %s-format folder %s %s in %.1f s", format, done, counts, seconds));
    return new Result(done, null, images, 0, seconds);
  }

  /** The options as given, then the generator configuration they resolve to (for example --full's sizes). */
  private static Map<String, Object> manifestOptions(SynthOptions options, SynthConfig config) {
    Map<String, Object> opts = OptionsManifest.of(options, SynthOptions.class);
    opts.putAll(config.describe());
    return opts;
  }

  /** The generator configuration the options describe. */
  public static SynthConfig config(SynthOptions o) {
    SynthConfig.Builder b = SynthConfig.builder()
        .patients(o.getPatients())
        .rows(o.getRows())
        .demoPatients(o.getDemoPatients())
        .seed(SeedOption.seedOr(o, DEFAULT_SEED))
        .meanImagesPerPatient(o.getMeanImagesPerPatient())
        .missingFromDemoFraction(o.getMissingFromDemoFraction())
        .demoOnlyFraction(o.getDemoOnlyFraction())
        .femaleFraction(o.getFemaleFraction())
        .imageSize(o.getMinImageSize(), o.getMaxImageSize())
        .jpegQuality(o.getJpegQuality())
        .uncertainStrength(o.getUncertainStrength())
        .sexSignal(o.getSexSignal())
        .raceSignal(o.getRaceSignal())
        .ageSignal(o.getAgeSignal())
        .raceFindingCoupling(o.getRaceFindingCoupling())
        .noise(o.getNoise())
        .ageDiseaseEffect(o.getAgeDiseaseEffect());
    if (o.getFull()) {
      b.full();
    }
    for (Map.Entry<String, String> e : keyValues("findingStrengths", o.getFindingStrengths()).entrySet()) {
      b.findingStrength(e.getKey(), number("findingStrengths", e.getKey(), e.getValue()));
    }
    b.scaleFindingStrengths(o.getFindingStrength());
    for (Map.Entry<String, String> e : keyValues("labelRates", o.getLabelRates()).entrySet()) {
      b.labelRates(e.getKey(), LabelRates.parse(e.getValue()));
    }
    for (PrevalenceShift s : PrevalenceShift.parseList(o.getPrevalenceShifts())) {
      b.prevalenceShift(s);
    }
    return b.build();
  }

  /** Parses {@code Key=value,Key=value}; keys may contain spaces. */
  static Map<String, String> keyValues(String option, String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String item : text.split(",")) {
      int eq = item.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--" + option + " entries must look like Label=value, got '" + item.trim() + "'");
      }
      out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
    }
    return out;
  }

  private static double number(String option, String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + option + ": value for '" + key + "' is not a number: '" + value + "'");
    }
  }
}
