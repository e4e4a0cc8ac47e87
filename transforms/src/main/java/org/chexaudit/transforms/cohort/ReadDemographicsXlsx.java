package org.chexaudit.transforms.cohort;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.PatientDemographics;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.core.cohort.DemographicsSheetReader;

/**
 * Reads the first sheet of a demographics workbook ({@code CHEXPERT DEMO.xlsx}) into one
 * {@link PatientDemographics} per data row, streaming with Apache POI. A sheet without the patient,
 * race or ethnicity column fails the pipeline with a message naming the file and the column; a row
 * without a patient id becomes a dead letter. Outputs are tagged {@link #PATIENTS} and {@link #DEAD}.
 */
public final class ReadDemographicsXlsx extends PTransform<PBegin, PCollectionTuple> {
  public static final String STAGE = "ReadDemographicsXlsx";
  public static final TupleTag<PatientDemographics> PATIENTS = new TupleTag<>("ReadDemographicsXlsx.PATIENTS") {};
  public static final TupleTag<DeadLetter> DEAD = new TupleTag<>("ReadDemographicsXlsx.DEAD") {};

  /** Optional columns carried along when present; chexploration drops them (sex, age come from the CSV). */
  static final String SEX_COLUMN = "GENDER";
  static final String AGE_COLUMN = "AGE_AT_CXR";

  private final String path;
  private final CohortSpec spec;

  private ReadDemographicsXlsx(String path, CohortSpec spec) {
    this.path = path;
    this.spec = spec;
  }

  public static ReadDemographicsXlsx from(String path) {
    checkArgumentNotNull(path, "ReadDemographicsXlsx needs a path");
    return new ReadDemographicsXlsx(path, CohortSpec.chexpert());
  }

  public ReadDemographicsXlsx withSpec(CohortSpec spec) {
    checkArgumentNotNull(spec, "ReadDemographicsXlsx spec can not be null");
    return new ReadDemographicsXlsx(path, spec);
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    PCollectionTuple out =
        input
            .apply("Path", Create.of(path))
            .apply("ReadSheet", ParDo.of(new ReadFn(spec)).withOutputTags(PATIENTS, TupleTagList.of(DEAD)));
    out.get(PATIENTS).setCoder(AvroCoder.specific(PatientDemographics.class));
    out.get(DEAD).setCoder(AvroCoder.of(DeadLetter.class));
    return out;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("path", path));
  }

  /** Returns the header of the first sheet of {@code path} (any Beam path); validates a file before a run. */
  public static List<String> readHeader(String path) throws IOException {
    List<String> header = new ArrayList<>();
    try (InputStream in = Resources.open(Resources.file(path))) {
      DemographicsSheetReader.read(
          in,
          path,
          new DemographicsSheetReader.RowHandler() {
            @Override
            public void header(List<String> columns) {
              header.addAll(columns);
              throw new HeaderRead();
            }

            @Override
            public void row(long dataRow, int sheetRow, Map<String, String> cells) {}
          });
    } catch (HeaderRead done) {
      // stop after the header
    }
    return header;
  }

  /** Names the spec's required columns that {@code header} lacks. */
  public static List<String> missingColumns(CohortSpec spec, List<String> header) {
    return List.of(spec.demoPatientColumn, spec.demoRaceColumn, spec.demoEthnicityColumn).stream()
        .filter(c -> !header.contains(c))
        .toList();
  }

  private static final class HeaderRead extends RuntimeException {
    HeaderRead() {
      super(null, null, false, false);
    }
  }

  static final class ReadFn extends DoFn<String, PatientDemographics> {
    private final CohortSpec spec;

    ReadFn(CohortSpec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element String file, MultiOutputReceiver out) throws IOException {
      DemographicsSheetReader.RowHandler handler =
          new DemographicsSheetReader.RowHandler() {
            @Override
            public void header(List<String> columns) {
              List<String> missing = missingColumns(spec, columns);
              if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                    file + ": first sheet lacks column(s) " + missing + "; its header is " + columns);
              }
            }

            @Override
            public void row(long dataRow, int sheetRow, Map<String, String> cells) {
              String patient = trimToNull(cells.get(spec.demoPatientColumn));
              if (patient == null) {
                out.get(DEAD)
                    .output(
                        DeadLetters.of(
                            STAGE, file, (long) sheetRow, cells.toString(), "row has no patient id"));
                return;
              }
              out.get(PATIENTS)
                  .output(
                      PatientDemographics.newBuilder()
                          .setPatientId(patient)
                          .setRow(dataRow)
                          .setRaceRaw(blankToNull(cells.get(spec.demoRaceColumn)))
                          .setEthnicity(blankToNull(cells.get(spec.demoEthnicityColumn)))
                          .setSex(trimToNull(cells.get(SEX_COLUMN)))
                          .setAge(trimToNull(cells.get(AGE_COLUMN)))
                          .build());
            }
          };
      ResourceId resource = FileSystems.matchSingleFileSpec(Resources.matchSpec(file)).resourceId();
      try (InputStream in = Resources.open(resource)) {
        DemographicsSheetReader.read(in, file, handler);
      }
    }
  }

  /** Race and ethnicity are kept verbatim: the filters compare them exactly, as pandas does. */
  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String trimToNull(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    return t.isEmpty() ? null : t;
  }
}
