using System.Text;

namespace Lab.Sim.Randomness;

/// <summary>
/// A seeded pseudo-random stream (xoshiro256**). It derives from <see cref="Random"/> so MathNet
/// distributions can draw from it, but its sequence depends only on its seed: never on the
/// process, the thread or the .NET version.
/// </summary>
public sealed class SimRandom : Random
{
    private ulong _s0, _s1, _s2, _s3;

#pragma warning disable RS0030 // the one sanctioned Random constructor: state is ours, the base is unused
    public SimRandom(ulong seed) : base(0)
#pragma warning restore RS0030
    {
        // SplitMix64 expands the seed into the 256-bit state (the xoshiro authors' recommendation).
        var x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>An independent stream for a named subsystem and index, e.g. ("network", 7).</summary>
    public static SimRandom Stream(ulong rootSeed, string subsystem, long index = 0) =>
        new(DeriveSeed(rootSeed, subsystem, index));

    /// <summary>Stable seed derivation: FNV-1a over the name, mixed with root and index by SplitMix64.
    /// (string.GetHashCode is randomised per process and must never be used here.)</summary>
    public static ulong DeriveSeed(ulong rootSeed, string subsystem, long index = 0)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(subsystem)) { h ^= b; h = unchecked(h * 1099511628211UL); }
        var x = unchecked(rootSeed ^ h * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xBF58476D1CE4E5B9UL);
        SplitMix(ref x);
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            var z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            var result = RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
    protected override double Sample() => NextDouble();
    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)NextBounded((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        if (minValue > maxValue) throw new ArgumentOutOfRangeException(nameof(minValue));
        return (int)(minValue + (long)NextBounded((ulong)((long)maxValue - minValue)));
    }

    public override long NextInt64() => (long)(NextUInt64() >> 1);

    public override long NextInt64(long minValue, long maxValue)
    {
        if (minValue > maxValue) throw new ArgumentOutOfRangeException(nameof(minValue));
        return unchecked(minValue + (long)NextBounded((ulong)(maxValue - minValue)));
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(NextUInt64() >> 56);
    }

    /// <summary>Lemire's nearly-divisionless bounded draw in [0, bound).</summary>
    private ulong NextBounded(ulong bound)
    {
        if (bound == 0) return 0;
        var threshold = unchecked(0UL - bound) % bound;
        while (true)
        {
            var r = NextUInt64();
            var hi = Math.BigMul(r, bound, out var lo);
            if (lo >= threshold) return hi;
        }
    }

    /// <summary>True with probability p.</summary>
    public bool Chance(double p) => p > 0 && (p >= 1 || NextDouble() < p);

    /// <summary>Exponentially distributed draw with the given mean.</summary>
    public double NextExponential(double mean) => -mean * Math.Log(1.0 - NextDouble());
}
