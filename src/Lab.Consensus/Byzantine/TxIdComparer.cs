using Lab.Ledger.Transactions;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// Hashes a <see cref="TxId"/> well. TxId's own hash is long.GetHashCode, i.e. low ^ high 32 bits of
/// (client &lt;&lt; 40 | sequence) = sequence ^ (client &lt;&lt; 8): a few clients with a few thousand
/// transactions each share a few thousand hash values, and sets of committed ids degrade to long
/// chains (quadratic over a run). This mixes all 64 bits (the splitmix64 finaliser).
/// </summary>
public sealed class TxIdComparer : IEqualityComparer<TxId>
{
    public static readonly TxIdComparer Instance = new();

    public bool Equals(TxId x, TxId y) => x.Value == y.Value;

    public int GetHashCode(TxId id)
    {
        var z = unchecked((ulong)id.Value + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(z ^ (z >> 31)));
    }
}
