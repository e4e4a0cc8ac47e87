package org.chexaudit.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextRangeReaderTest {
  @Test
  void everyLineIsReadOnceWhateverTheRanges(@TempDir Path dir) throws Exception {
    for (String text : List.of("h\na,1\nbb,22\r\n\nccc,333\n", "h\na,1\nbb,22\nccc,333", "h\n", "only")) {
      Path f = dir.resolve("t.csv");
      Files.writeString(f, text);
      long size = Files.size(f);
      List<String> expected = new ArrayList<>();
      long offset = 0;
      for (String line : text.split("\n", -1)) {
        if (offset < size) {
          expected.add(offset + ":" + line.replace("\r", ""));
        }
        offset += line.length() + 1;
      }
      for (long step = 1; step <= size + 1; step++) {
        List<String> got = new ArrayList<>();
        for (long start = 0; start < size; start += step) {
          TextRangeReader.read(new FileRange(f.toString(), start, Math.min(size, start + step)),
              (o, buf, from, to) -> got.add(o + ":" + new String(buf, from, to - from, StandardCharsets.UTF_8)));
        }
        assertThat(text + " in ranges of " + step, got, is(expected));
      }
    }
  }

  @Test
  void lineAtCountsTheLinesBeforeAnOffset(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("t.csv");
    Files.writeString(f, "h\na,1\nbb,22\n");
    assertThat(TextRangeReader.lineAt(f.toString(), 0), is(1L));
    assertThat(TextRangeReader.lineAt(f.toString(), 2), is(2L));
    assertThat(TextRangeReader.lineAt(f.toString(), 6), is(3L));
  }
}
