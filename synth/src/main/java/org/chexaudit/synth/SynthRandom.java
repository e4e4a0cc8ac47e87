package org.chexaudit.synth;

/**
 * A small SplitMix64 random stream. Every patient, image and painted layer gets its own stream,
 * derived from (seed, keys...), so output depends only on the seed and never on thread count or on
 * how many numbers another layer drew. Only integer arithmetic and {@link StrictMath} are used, so
 * the same seed gives the same bytes on every JVM.
 */
public final class SynthRandom {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  private SynthRandom(long state) {
    this.state = state;
  }

  /** A stream determined by {@code seed} and the {@code keys} (e.g. patient index, study, layer). */
  public static SynthRandom of(long seed, long... keys) {
    long s = mix(seed ^ 0x5DEECE66DL);
    for (long k : keys) {
      s = mix(s + GOLDEN + mix(k + 0x632BE59BD9B4E019L));
    }
    return new SynthRandom(s);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [lo, hi). */
  public double uniform(double lo, double hi) {
    return lo + (hi - lo) * nextDouble();
  }

  /** Uniform integer in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    return (int) (((nextLong() >>> 33) * bound) >>> 31);
  }

  /** Uniform integer in [lo, hi] inclusive. */
  public int intBetween(int lo, int hi) {
    return lo + nextInt(hi - lo + 1);
  }

  public boolean bernoulli(double p) {
    return nextDouble() < p;
  }

  /** Standard normal (Box-Muller with StrictMath, so it is bit-reproducible). */
  public double nextGaussian() {
    double u = 1.0 - nextDouble();
    double v = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * v);
  }

  /** Index drawn with probability proportional to {@code weights[i]}. */
  public int choose(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double r = nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
