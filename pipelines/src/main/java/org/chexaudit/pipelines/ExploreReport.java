package org.chexaudit.pipelines;

import org.chexaudit.pipelines.report.JointPlot;
import org.chexaudit.pipelines.report.Png;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.schemas.KsTest;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.core.explore.ExploreNames;
import org.chexaudit.core.explore.ExploreRow;
import org.chexaudit.core.explore.KsTable;
import org.chexaudit.core.explore.PcaModel;
import org.chexaudit.core.io.CsvWriter;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The files {@code explore} writes from the driver into {@code dir} (any Beam path, through
 * {@link Resources}): CSV tables, the KS Avro table and the PNG plots, with the logits and hue orders named
 * by {@link ExploreNames}. All of them describe the bounded sample, PCA model and KS table.
 */
final class ExploreReport {
  static final String KS_HEADER = "feature,comparison,n1,n2,D,p,p_adjusted,rejected";

  private final ResourceId dir;
  private final ExploreNames names;

  ExploreReport(ResourceId dir, ExploreNames names) {
    this.dir = dir;
    this.names = names;
  }

  /** The header of sample.csv: attributes, the two logits by label name, PCA modes 1-4, t-SNE. */
  static String sampleHeader(ExploreNames names) {
    return "id,race,sex,age,disease," + names.normalLogitName() + "," + names.positiveLogitName()
        + ",PCA Mode 1,PCA Mode 2,PCA Mode 3,PCA Mode 4,t-SNE 1,t-SNE 2";
  }

  void writeExplainedVariance(PcaModel model) {
    double[] ratio = model.allExplainedVarianceRatio();
    double[] modes = new double[ratio.length];
    double[] cumulative = new double[ratio.length];
    double sum = 0;
    try (BufferedWriter w = Resources.writer(file("explained_variance.csv"));
        CsvWriter csv = new CsvWriter(w)) {
      csv.writeRow("mode", "explained_variance_ratio", "cumulative", "kept");
      for (int i = 0; i < ratio.length; i++) {
        sum += ratio[i];
        modes[i] = i + 1;
        cumulative[i] = sum;
        csv.writeRow(Integer.toString(i + 1), Double.toString(ratio[i]), Double.toString(sum),
            Boolean.toString(i < model.numComponents()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write explained_variance.csv", e);
    }
    XYChart chart = new XYChartBuilder().width(640).height(480)
        .title("Cumulative explained variance (" + model.numComponents() + " modes kept)")
        .xAxisTitle("PCA mode").yAxisTitle("cumulative explained variance ratio").build();
    chart.getStyler().setLegendVisible(false);
    chart.addSeries("cumulative", modes, cumulative).setMarker(SeriesMarkers.NONE);
    chart.addSeries("kept", new double[] {model.numComponents(), model.numComponents()}, new double[] {0, 1})
        .setMarker(SeriesMarkers.NONE);
    Png.write(chart, file("explained_variance.png"));
  }

  void writeKs(List<KsTable.Row> rows, double alpha) {
    try (BufferedWriter w = Resources.writer(file("ks_tests.csv"));
        CsvWriter csv = new CsvWriter(w)) {
      csv.writeRow(List.of(KS_HEADER.split(",")));
      for (KsTable.Row r : rows) {
        csv.writeRow(r.feature(), r.comparison().name(), Integer.toString(r.n1()), Integer.toString(r.n2()),
            Double.toString(r.statistic()), Double.toString(r.pValue()), Double.toString(r.pAdjusted()),
            Boolean.toString(r.rejected()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ks_tests.csv", e);
    }
    List<KsTest> records = rows.stream().map(r -> ksRecord(r, alpha)).toList();
    try (OutputStream o = Resources.create(file("ks_tests.avro"));
        DataFileWriter<KsTest> w = new DataFileWriter<>(new SpecificDatumWriter<>(KsTest.class))) {
      w.create(KsTest.getClassSchema(), o);
      for (KsTest r : records) {
        w.append(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ks_tests.avro", e);
    }
  }

  void writeTsne(List<ExploreRow> points, double[][] y, List<ExploreRow> sample) {
    Set<String> sampled = new HashSet<>();
    sample.forEach(r -> sampled.add(r.id()));
    try (BufferedWriter w = Resources.writer(file("tsne.csv"));
        CsvWriter csv = new CsvWriter(w)) {
      csv.writeRow("id", "race", "sex", "age", "disease", "t-SNE 1", "t-SNE 2", "in_sample");
      for (int i = 0; i < points.size(); i++) {
        ExploreRow r = points.get(i);
        csv.writeRow(r.id(), r.race(), str(r.sex()), str(r.age()), r.disease(), Double.toString(y[i][0]),
            Double.toString(y[i][1]), Boolean.toString(sampled.contains(r.id())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tsne.csv", e);
    }
  }

  void writeSample(List<ExploreRow> sample, Map<String, double[]> tsne) {
    try (BufferedWriter w = Resources.writer(file("sample.csv"));
        CsvWriter csv = new CsvWriter(w)) {
      csv.writeRow(List.of(sampleHeader(names).split(",")));
      for (ExploreRow r : sample) {
        List<String> f = new ArrayList<>(List.of(r.id(), r.race(), str(r.sex()), str(r.age()), r.disease(),
            Double.toString(r.logitNormal()), Double.toString(r.logitPositive())));
        for (int m = 0; m < 4; m++) {
          f.add(m < r.scores().length ? Double.toString(r.pca(m)) : "");
        }
        double[] t = tsne == null ? null : tsne.get(r.id());
        f.add(t == null ? "" : Double.toString(t[0]));
        f.add(t == null ? "" : Double.toString(t[1]));
        csv.writeRow(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sample.csv", e);
    }
  }

  /** The joint plots of the sample, four colourings per method; returns how many were written. */
  int writePlots(List<ExploreRow> sample, int modes, Map<String, double[]> tsne) {
    int written = 0;
    written += method("logit", sample, names.normalLogitName(), ExploreRow::logitNormal,
        names.positiveLogitName(), ExploreRow::logitPositive);
    if (modes >= 2) {
      written += method("pca-mode-1+2", sample, "PCA Mode 1", r -> r.pca(0), "PCA Mode 2", r -> r.pca(1));
    }
    if (modes >= 4) {
      written += method("pca-mode-3+4", sample, "PCA Mode 3", r -> r.pca(2), "PCA Mode 4", r -> r.pca(3));
    }
    if (tsne != null) {
      written += method("tsne", sample, "t-SNE 1", r -> tsne.get(r.id())[0], "t-SNE 2", r -> tsne.get(r.id())[1]);
    }
    return written;
  }

  private int method(String method, List<ExploreRow> rows, String xLabel,
      ToDoubleFunction<ExploreRow> xOf, String yLabel, ToDoubleFunction<ExploreRow> yOf) {
    double[] x = rows.stream().mapToDouble(xOf).toArray();
    double[] y = rows.stream().mapToDouble(yOf).toArray();
    JointPlot.Limits limits = JointPlot.Limits.of(x, y);
    JointPlot plot = new JointPlot(method + " (n=" + rows.size() + ")", xLabel, yLabel, x, y, limits);
    plot.writeCategorical(file(method + "-disease.png"), "disease",
        rows.stream().map(ExploreRow::disease).toArray(String[]::new), names.diseaseOrder());
    plot.writeCategorical(file(method + "-sex.png"), "sex",
        rows.stream().map(ExploreRow::sex).toArray(String[]::new), names.sexOrder());
    plot.writeContinuous(file(method + "-age.png"), "age",
        rows.stream().mapToDouble(r -> r.age() == null ? Double.NaN : r.age()).toArray());
    plot.writeCategorical(file(method + "-race.png"), "race",
        rows.stream().map(ExploreRow::race).toArray(String[]::new), names.raceOrder());
    return 4;
  }

  static KsTest ksRecord(KsTable.Row r, double alpha) {
    return KsTest.newBuilder().setFeature(r.feature()).setComparison(r.comparison().name())
        .setAttribute(r.comparison().attribute()).setGroupA(r.comparison().groupA()).setGroupB(r.comparison().groupB())
        .setN1(r.n1()).setN2(r.n2()).setStatistic(r.statistic()).setPValue(r.pValue()).setExact(r.exact())
        .setPAdjusted(r.pAdjusted()).setRejected(r.rejected()).setAlpha(alpha).build();
  }

  private ResourceId file(String name) {
    return Resources.file(dir, name);
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }
}
