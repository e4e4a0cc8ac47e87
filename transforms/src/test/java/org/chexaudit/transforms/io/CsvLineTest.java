package org.chexaudit.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvLineTest {
  private static CsvLine split(String s) {
    CsvLine line = new CsvLine();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    assertThat(line.split(b, 0, b.length), is(true));
    return line;
  }

  @Test
  void numbersAreParseDoubleBitForBit() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 200_000; i++) {
      String s = switch (i % 6) {
        case 0 -> Float.toString(r.nextFloat());
        case 1 -> Double.toString(r.nextDouble());
        case 2 -> String.format("%.6f", r.nextDouble() * 100 - 50);
        case 3 -> Long.toString(r.nextLong(-1_000_000, 1_000_000));
        case 4 -> String.format("%.3e", r.nextDouble());
        default -> "0.000" + r.nextInt(1, 99999);
      };
      assertThat(s, Double.doubleToRawLongBits(split("x," + s).number(1)),
          is(Double.doubleToRawLongBits(Double.parseDouble(s))));
    }
    for (String s : List.of("-0.0", "0", "1.", ".5", "-.25", "+3", "123456789012345.6", "0.10000000000000001",
        "9007199254740993", "1e300", " 2.5 ")) {
      assertThat(s, Double.doubleToRawLongBits(split(s).number(0)), is(Double.doubleToRawLongBits(Double.parseDouble(s))));
    }
  }

  @Test
  void badNumbersFailAsParseDoubleDoes() {
    assertThrows(NumberFormatException.class, () -> split("a,,b").number(1));
    assertThrows(NumberFormatException.class, () -> split("1.2.3").number(0));
    assertThat(Double.isNaN(split("NaN").number(0)), is(true));
  }

  @Test
  void quotedFieldsKeepCommasAndDoubledQuotes() {
    CsvLine line = split("a,\"b,c\",\"say \"\"hi\"\"\",,\"1.5\"");
    assertThat(line.texts(), is(List.of("a", "b,c", "say \"hi\"", "", "1.5")));
    assertThat(line.number(4), is(1.5));
    assertThat(line.text(9), is(""));
    byte[] open = "a,\"b".getBytes(StandardCharsets.UTF_8);
    assertThat(new CsvLine().split(open, 0, open.length), is(false));
  }
}
