package org.chexaudit.synth;

import java.io.IOException;
import java.io.Writer;

/** Writes train.csv rows in CheXpert's layout; one patient's rows are contiguous. */
public final class TrainCsvWriter {
  private final Writer out;
  private final StringBuilder line = new StringBuilder(256);
  private long rows;

  /** Writes the header at once. */
  public TrainCsvWriter(Writer out) throws IOException {
    this.out = out;
    out.write(ChexpertFormat.TRAIN_CSV_HEADER);
    out.write('\n');
  }

  public void write(Patient p) throws IOException {
    for (Study s : p.studies()) {
      for (View v : s.views()) {
        line.setLength(0);
        line.append(v.path()).append(',').append(p.sex()).append(',').append(s.age()).append(',')
            .append(v.frontal() ? "Frontal" : "Lateral").append(',').append(v.projection());
        for (LabelValue l : s.labels()) {
          line.append(',').append(l.csv());
        }
        line.append('\n');
        out.append(line);
        rows++;
      }
    }
  }

  public long rows() {
    return rows;
  }
}
