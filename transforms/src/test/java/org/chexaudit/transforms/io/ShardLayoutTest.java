package org.chexaudit.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A destination's shard count and file names. */
class ShardLayoutTest {
  private static final ShardLayout BY_SIZE = ShardLayout.of(Map.of("train", "/out/images/train/part"), 1337);

  @Test
  void shardsHoldAtMostRecordsPerShard() {
    assertThat(BY_SIZE.shards(0), is(1));
    assertThat(BY_SIZE.shards(1337), is(1));
    assertThat(BY_SIZE.shards(1338), is(2));
    assertThat(BY_SIZE.shards(190_000), is(143));
  }

  @Test
  void aSmallDestinationIsSpreadOverAtLeastSoManyShardsOfAtLeastSoManyRecords() {
    ShardLayout spread = BY_SIZE.withAtLeast(32, 16);
    assertThat(spread.shards(0), is(1));
    assertThat(spread.shards(10), is(1));
    assertThat(spread.shards(60), is(4));
    assertThat(spread.shards(600), is(32));
    assertThat(spread.shards(12_000), is(32));
    // past 32 shards of 1,337 the size decides again
    assertThat(spread.shards(190_000), is(143));
  }

  @Test
  void filesAreNamedByDestinationShardAndCount() {
    assertThat(BY_SIZE.file("train", 3, 143), equalTo("/out/images/train/part-00003-of-00143.avro"));
    assertThat(BY_SIZE.shards("train", Map.of("train", 2000L)), is(2));
    assertThat(BY_SIZE.shards("validate", Map.of("train", 2000L)), is(1));
  }

  @Test
  void anUnknownDestinationFailsNamingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BY_SIZE.checkDestination("test"));
    assertThat(e.getMessage(), equalTo("a record's destination 'test' is none of [train]"));
    assertThrows(IllegalArgumentException.class, () -> ShardLayout.of(Map.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> ShardLayout.of(Map.of("a", "p"), 0));
    assertThrows(IllegalArgumentException.class, () -> BY_SIZE.withAtLeast(0, 16));
  }
}
