package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Segments know their sizes, and a segment over the target (a tie) is split by row into bounded blocks. */
class SegmentLayoutTest {
  @Test
  void sizesAreTheCountsOfEachSegmentsBuckets() {
    // 3,000 distinct scores and a tie of 5,000 at 0.0, target 1,000
    double[] scores = new double[8000];
    for (int i = 0; i < 3000; i++) {
      scores[i] = (i + 1) / 3001.0;
    }
    SegmentLayout layout = SegmentLayout.of(scores, 1000);
    long total = 0;
    int segments = layout.cuts().length + 1;
    for (int s = 0; s < segments; s++) {
      total += layout.size(s);
      assertThat("segment " + s, layout.size(s) <= 1000 || s == layout.segmentOf(0.0), equalTo(true));
    }
    assertThat(total, equalTo(8000L));
    int tie = layout.segmentOf(0.0);
    assertThat(tie, equalTo(0));
    assertThat(layout.size(tie), equalTo(5000L));
    assertThat(layout.parts(tie), equalTo(5));
    assertThat(layout.parts(1), equalTo(1));
  }

  @Test
  void aTieIsSplitIntoBlocksOfAboutTheTargetByItsRowsHashes() {
    double[] scores = new double[20_000];
    java.util.Arrays.fill(scores, 0, 12_000, 0.0);
    for (int i = 12_000; i < scores.length; i++) {
      scores[i] = 0.5 + i * 1e-5;
    }
    SegmentLayout layout = SegmentLayout.of(scores, 4096);
    SplittableRandom random = new SplittableRandom(3);
    TreeMap<Long, Integer> rowsPerBlock = new TreeMap<>(SegmentLayout.BLOCK_ORDER);
    for (double s : scores) {
      rowsPerBlock.merge(layout.blockOf(s, random.nextLong()), 1, Integer::sum);
    }
    List<Integer> tieParts = new ArrayList<>();
    rowsPerBlock.forEach((block, rows) -> {
      if (SegmentLayout.segmentOfBlock(block) == layout.segmentOf(0.0)) {
        tieParts.add(SegmentLayout.partOfBlock(block));
        assertThat(rows, greaterThan(3000)); // 12,000 / 3 = 4,000 each, binomial sd 52
        assertThat(rows, lessThan(4096 + 300));
      } else {
        assertThat(SegmentLayout.partOfBlock(block), equalTo(0));
        assertThat(rows, lessThan(4097));
      }
    });
    assertThat(tieParts, equalTo(List.of(0, 1, 2)));
    // blocks ordered by segment, then part; the first block of a segment has the segment's own number
    assertThat(SegmentLayout.blockId(7, 0), equalTo(7L));
    assertThat(SegmentLayout.BLOCK_ORDER.compare(SegmentLayout.blockId(1, 5), SegmentLayout.blockId(2, 0)), lessThan(0));
    assertThat(SegmentLayout.BLOCK_ORDER.compare(SegmentLayout.blockId(2, 1), SegmentLayout.blockId(2, 0)), greaterThan(0));
  }
}
