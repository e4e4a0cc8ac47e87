package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShuffleBufferTest {
  private static List<Integer> shuffled(int n, int capacity, long seed, int[] maxAhead) {
    Iterator<Integer> source = new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < n;
      }

      @Override
      public Integer next() {
        return next++;
      }
    };
    List<Integer> out = new ArrayList<>();
    int[] read = new int[1];
    Iterator<Integer> counted = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public Integer next() {
        read[0]++;
        return source.next();
      }
    };
    ShuffleBuffer<Integer> b = ShuffleBuffer.of(counted, capacity, new SplittableRandom(seed));
    while (b.hasNext()) {
      out.add(b.next());
      maxAhead[0] = Math.max(maxAhead[0], read[0] - out.size()); // elements held in the buffer
    }
    return out;
  }

  @Test
  void emitsEveryElementOnceHoldingAtMostItsCapacity() {
    int[] held = new int[1];
    List<Integer> out = shuffled(10_000, 64, 7, held);
    assertThat(out.stream().sorted().toList(), equalTo(IntStream.range(0, 10_000).boxed().toList()));
    assertThat(held[0], lessThanOrEqualTo(64));
    assertThat(out, not(equalTo(IntStream.range(0, 10_000).boxed().toList())));
  }

  @Test
  void sameSeedSameOrderOtherSeedOtherOrder() {
    int[] held = new int[1];
    assertThat(shuffled(1000, 50, 3, held), equalTo(shuffled(1000, 50, 3, held)));
    assertThat(shuffled(1000, 50, 3, held), not(equalTo(shuffled(1000, 50, 4, held))));
  }

  @Test
  void aStreamThatFitsIsPermutedAsAWholeInMemoryShuffle() {
    // The same Fisher-Yates as the trainer's whole-set shuffle before streaming: same seed, same order.
    int[] expected = ImageData.permutation(40, new SplittableRandom(11));
    int[] held = new int[1];
    assertThat(shuffled(40, 40, 11, held), equalTo(IntStream.of(expected).boxed().toList()));
    assertThat(shuffled(40, 1000, 11, held), equalTo(IntStream.of(expected).boxed().toList()));
  }

  @Test
  void anElementMovesAtMostCapacityPlacesEarlier() {
    // Bounded memory means a bounded shuffle: element i can not come out before position i - capacity + 1.
    int[] held = new int[1];
    List<Integer> out = shuffled(5000, 20, 5, held);
    for (int pos = 0; pos < out.size(); pos++) {
      assertThat(out.get(pos), lessThanOrEqualTo(pos + 19));
    }
  }

  /** Two runs of a pipeline write the same examples into shards in another order; training must not see it. */
  @Test
  void aStreamThatFitsComesOutTheSameWhateverItsArrivalOrderGivenACanonicalOrder() {
    List<Integer> ascending = IntStream.range(0, 500).boxed().toList();
    List<Integer> scrambled = new ArrayList<>(ascending);
    java.util.Collections.shuffle(scrambled, new java.util.Random(3));
    List<Integer> a = drain(ShuffleBuffer.of(ascending.iterator(), 500, new SplittableRandom(9), Comparator.naturalOrder()));
    List<Integer> b = drain(ShuffleBuffer.of(scrambled.iterator(), 500, new SplittableRandom(9), Comparator.naturalOrder()));
    assertThat(b, equalTo(a));
    assertThat(a, not(equalTo(ascending)));
    List<Integer> c = drain(ShuffleBuffer.of(scrambled.iterator(), 500, new SplittableRandom(9)));
    assertThat("without a canonical order the arrival order shows", c, not(equalTo(a)));
  }

  private static List<Integer> drain(ShuffleBuffer<Integer> b) {
    List<Integer> out = new ArrayList<>();
    b.forEachRemaining(out::add);
    return out;
  }
}
